#!/usr/bin/env bash
# Re-fetches the vendored mutation-testing-elements web component (and its
# licence) that the HTML mutation report embeds, and the published report
# JSON schema that the report test validates against, with `npm pack`.
#
#   scripts/fetch-mte.sh [ELEMENTS_VERSION [SCHEMA_VERSION]]   (default 3.9.0 3.8.4)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
elements=${1:-3.9.0}
schema=${2:-3.8.4}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm pack --silent "mutation-testing-elements@$elements" "mutation-testing-report-schema@$schema" >/dev/null
mkdir e s
tar xzf "mutation-testing-elements-$elements.tgz" -C e
tar xzf "mutation-testing-report-schema-$schema.tgz" -C s
assets="$root/mutation/report/assets"
cp e/package/dist/mutation-test-elements.js "$assets/mutation-test-elements.js"
cp e/package/LICENSE "$assets/LICENSE.mutation-testing-elements"
cp s/package/src/mutation-testing-report-schema.json "$root/mutation/report/testdata/schema/"
cp s/package/LICENSE "$root/mutation/report/testdata/schema/LICENSE"
if grep -q '</script' "$assets/mutation-test-elements.js"; then
  echo "warning: mutation-test-elements.js contains </script: the HTML report refuses to inline it" >&2
fi
echo "mutation-testing-elements $elements and mutation-testing-report-schema $schema vendored"
