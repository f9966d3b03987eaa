package report

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strings"
)

// elementsJS is dist/mutation-test-elements.js of the npm package
// mutation-testing-elements (Apache-2.0, see assets/), vendored so that the
// HTML report opens without network. scripts/fetch-mte.sh refreshes it.
//
//go:embed assets/mutation-test-elements.js
var elementsJS string

// WriteHTML writes a single-file HTML report: the mutation-testing-elements
// web component and the report inlined, usable offline.
func (r *Report) WriteHTML(w io.Writer, title string) error {
	data, err := json.Marshal(r) // escapes <, > and & as \u003c…: safe inside <script>
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if strings.Contains(elementsJS, "</script") {
		return fmt.Errorf("report: the vendored mutation-test-elements.js contains </script")
	}
	err = page.Execute(w, map[string]any{
		"Title":   title,
		"Script":  template.JS(elementsJS),
		"Report":  template.JS(data),
		"Postfix": title,
	})
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

var page = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<script>{{.Script}}</script>
</head>
<body>
<mutation-test-report-app title-postfix="{{.Postfix}}"></mutation-test-report-app>
<script>
document.querySelector("mutation-test-report-app").report = {{.Report}};
</script>
</body>
</html>
`))
