// Package web serves the results graph in a browser: an HTTP handler
// (net/http, html/template) with a page and a JSON twin under /api for each
// view of the stored runs.
//
// Pages (each also at /api + path, as JSON):
//
//	/runs                 runs list, filtered by ?kind= &branch= &commit= &dataset=
//	/runs/{id}            one run: per-operation table, comparable runs
//	/runs/{id}/report     the run's standalone report with latency plots (bench/report)
//	/compare?base=&cur=   two runs compared with bench/compare's rule
//	/compare/report?...   the comparison's report with both runs' plots
//	/trend?op=&branch=    an operation's median and p99 along a branch, with
//	                      the suspected commit of a regression (first bad commit)
//	/commits/{hash}       one commit and the runs measured on it
//	/mutation?pkg=        mutation score trend of a package
//
// The handler is read-only: it only calls a [Source], whose analyses are
// constant Gremlin scripts with bindings, so nothing from a request ever
// becomes Gremlin text. All output goes through html/template or
// encoding/json. With [Config.Token] set, every request needs the header
// "Authorization: Bearer <token>". An empty results graph, a run stored
// only partially and an unreachable graph each give a clear page (and a
// JSON error), never a stack trace.
package web
