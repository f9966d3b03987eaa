package web

import (
	"bytes"
	"context"
	"crypto/subtle"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/graphperf/graphperf/bench/compare"
	"github.com/graphperf/graphperf/bench/report"
	"github.com/graphperf/graphperf/bench/stats"
	"github.com/graphperf/graphperf/results"
)

//go:embed templates/*.html
var templateFS embed.FS

// DefaultTimeout bounds the source calls of one request when
// [Config.Timeout] is 0.
const DefaultTimeout = 10 * time.Second

// Config configures the handler. The zero value serves without a token,
// with bench/compare's default rule and [DefaultTimeout].
type Config struct {
	// Token, when not empty, is the bearer token every request must carry
	// ("Authorization: Bearer <token>").
	Token string
	// Graph names the results graph (its hosts, say) on error pages.
	Graph string
	// EmptyHint is shown under "no runs stored yet" (how to store some).
	EmptyHint string
	// Compare is the comparison rule of the compare page.
	Compare compare.Config
	// Timeout bounds the source calls of one request (0: DefaultTimeout).
	Timeout time.Duration
	// Log receives internal errors (nil: the log package's default logger).
	Log *log.Logger
}

// handler serves the pages.
type handler struct {
	src   Source
	cfg   Config
	pages map[string]*template.Template
	mux   *http.ServeMux
}

// New returns the read-only handler of the pages and their JSON API over
// src.
func New(src Source, cfg Config) (http.Handler, error) {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Log == nil {
		cfg.Log = log.Default()
	}
	h := &handler{src: src, cfg: cfg, pages: map[string]*template.Template{}, mux: http.NewServeMux()}
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("web templates: %w", err)
	}
	for _, name := range []string{"runs", "run", "compare", "trend", "commit", "mutation", "error"} {
		t, err := template.Must(base.Clone()).ParseFS(templateFS, "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web templates: %w", err)
		}
		h.pages[name] = t
	}
	h.page("/runs", "runs", h.runs)
	h.page("/runs/{id}", "run", h.run)
	h.page("/compare", "compare", h.compare)
	h.page("/trend", "trend", h.trend)
	h.page("/commits/{hash}", "commit", h.commit)
	h.page("/mutation", "mutation", h.mutation)
	h.mux.HandleFunc("GET /runs/{id}/report", h.runReport)
	h.mux.HandleFunc("GET /compare/report", h.compareReport)
	h.mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/runs", http.StatusFound)
	})
	h.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		h.fail(w, r, &statusError{http.StatusNotFound, "no page at " + r.URL.Path})
	})
	return h, nil
}

// ServeHTTP checks the token, sets the security headers and recovers from
// panics with a plain 500 page.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Referrer-Policy", "no-referrer")
	if h.cfg.Token != "" && !h.authorized(r) {
		hdr.Set("WWW-Authenticate", `Bearer realm="graphperf"`)
		h.fail(w, r, &statusError{http.StatusUnauthorized, "this server needs a bearer token (Authorization: Bearer <token>)"})
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hdr.Set("Allow", "GET, HEAD")
		h.fail(w, r, &statusError{http.StatusMethodNotAllowed, "read-only: only GET and HEAD are served"})
		return
	}
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			h.cfg.Log.Printf("web: panic serving %s: %v", r.URL.Path, v)
			h.fail(w, r, &statusError{http.StatusInternalServerError, "internal error (logged by the server)"})
		}
	}()
	h.mux.ServeHTTP(w, r)
}

func (h *handler) authorized(r *http.Request) bool {
	auth := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(strings.TrimSpace(tok)), []byte(h.cfg.Token)) == 1
}

// page registers path as an HTML page rendered by template name and as its
// JSON twin under /api.
func (h *handler) page(path, name string, build func(context.Context, *http.Request) (any, error)) {
	serve := func(asJSON bool) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			ctx, cancel := context.WithTimeout(r.Context(), h.cfg.Timeout)
			defer cancel()
			data, err := build(ctx, r)
			if err != nil {
				h.fail(w, r, err)
				return
			}
			if asJSON {
				writeJSON(w, http.StatusOK, data)
				return
			}
			h.render(w, r, http.StatusOK, name, data)
		}
	}
	h.mux.HandleFunc("GET "+path, serve(false))
	h.mux.HandleFunc("GET /api"+path, serve(true))
}

// render executes template name into a buffer first, so that a failing
// template never sends half a page.
func (h *handler) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var buf bytes.Buffer
	if err := h.pages[name].ExecuteTemplate(&buf, "layout.html", data); err != nil {
		h.cfg.Log.Printf("web: render %s: %v", r.URL.Path, err)
		if name != "error" {
			h.fail(w, r, &statusError{http.StatusInternalServerError, "internal error rendering the page (logged by the server)"})
		} else {
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		status = http.StatusInternalServerError
		b, _ = json.Marshal(map[string]any{"error": "internal error encoding the answer", "status": status})
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// statusError is an error with the HTTP status it answers with.
type statusError struct {
	Status int
	Msg    string
}

func (e *statusError) Error() string { return e.Msg }

func badRequest(format string, args ...any) error {
	return &statusError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

// errorPage is the data of the error page.
type errorPage struct {
	Title   string `json:"-"`
	Status  int    `json:"status"`
	Error   string `json:"error"`
	Graph   string `json:"graph,omitempty"`
	Unavail bool   `json:"-"`
}

// fail answers err: 400/401/404/405 as given, 404 for ErrNotFound, 422 for
// comparisons the statistics refuse, 503 for a results graph that failed
// or did not answer. The message is one line; no stack is ever shown.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	p := errorPage{Status: http.StatusServiceUnavailable, Error: oneLine(err.Error()), Graph: h.cfg.Graph}
	var se *statusError
	var dm *compare.DatasetMismatchError
	var um *compare.UnitMismatchError
	var nc *compare.NothingComparedError
	switch {
	case errors.As(err, &se):
		p.Status = se.Status
	case errors.Is(err, results.ErrNotFound):
		p.Status = http.StatusNotFound
	case errors.As(err, &dm), errors.As(err, &um), errors.As(err, &nc):
		p.Status = http.StatusUnprocessableEntity
	default:
		p.Unavail = true
		if errors.Is(err, context.DeadlineExceeded) {
			p.Error = fmt.Sprintf("the results graph did not answer within %v", h.cfg.Timeout)
		}
		h.cfg.Log.Printf("web: %s: %v", r.URL.Path, err)
	}
	p.Title = http.StatusText(p.Status)
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSON(w, p.Status, p)
		return
	}
	h.render(w, r, p.Status, "error", p)
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 500 {
		s = s[:500] + "…"
	}
	return s
}

// funcs are the template helpers.
var funcs = template.FuncMap{
	"value": report.FormatValue,
	"time": func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.UTC().Format("2006-01-02 15:04:05Z")
	},
	"pct": func(v float64) string { return fmt.Sprintf("%+.1f%%", 100*v) },
	"p":   func(v float64) string { return fmt.Sprintf("%.3f", v) },
	"score": func(c results.Counts) string {
		if s, ok := c.Score(); ok {
			return fmt.Sprintf("%.1f%%", s)
		}
		return "-"
	},
	"short":   short,
	"latency": func(u stats.Unit) bool { return u.IsLatency() },
}
