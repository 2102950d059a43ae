package hostpage

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"text/template/parse"
)

// files holds the templates and the assets, compiled into the binary so
// that the pages need no build step and no files beside the binary.
//
//go:embed templates/*.html assets/*
var files embed.FS

// layoutFile is the frame every page fills in: html, head, language
// switch, main. The other files under templates/ are pages.
const layoutFile = "layout.html"

// renderer holds the pages, parsed once, in every language.
type renderer struct {
	// pages maps a language and a page's file name to the page's
	// templates, the layout included, with that language's functions.
	pages map[string]map[string]*template.Template
	// assets maps an asset's file name to its content and version.
	assets map[string]asset
}

// asset is an embedded file served under /assets/.
type asset struct {
	data []byte
	// version is a digest of data: pages link to /assets/NAME?v=VERSION,
	// so a browser may keep the file as long as it likes and still fetch
	// the new one after an upgrade.
	version string
}

// newRenderer parses the layout and pages under templates/ in fsys, one
// set per language of cats, and loads the files under assets/. It fails
// when a template does not parse, or uses a message key that some
// language's catalogue lacks or a key that is not a literal string.
func newRenderer(fsys fs.FS, cats map[string]catalogue) (*renderer, error) {
	rd := &renderer{pages: map[string]map[string]*template.Template{}, assets: map[string]asset{}}
	if err := rd.loadAssets(fsys); err != nil {
		return nil, err
	}
	// Parsing needs the functions' names; the bodies are the language's,
	// bound below by Funcs on a clone of each page.
	layout, err := template.New(layoutFile).Funcs(rd.funcs("", nil)).ParseFS(fsys, "templates/"+layoutFile)
	if err != nil {
		return nil, fmt.Errorf("hostpage: parse %s: %w", layoutFile, err)
	}
	names, err := fs.Glob(fsys, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("hostpage: list templates: %w", err)
	}
	for _, name := range names {
		file := path.Base(name)
		if file == layoutFile {
			continue
		}
		base, err := layout.Clone()
		if err != nil {
			return nil, fmt.Errorf("hostpage: %s: %w", file, err)
		}
		page, err := base.ParseFS(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("hostpage: parse %s: %w", file, err)
		}
		for lang, cat := range cats {
			if err := checkKeys(page, cat); err != nil {
				return nil, fmt.Errorf("hostpage: %s, language %s: %w", file, lang, err)
			}
			t, err := rd.parseIn(fsys, name, lang, cat)
			if err != nil {
				return nil, fmt.Errorf("hostpage: %s, language %s: %w", file, lang, err)
			}
			if rd.pages[lang] == nil {
				rd.pages[lang] = map[string]*template.Template{}
			}
			rd.pages[lang][file] = t
		}
	}
	return rd, nil
}

// constantMessage is an action that shows a message without arguments:
// its text is the same on every page of a language.
var constantMessage = regexp.MustCompile(`\{\{t "([a-z0-9_.]+)"\}\}`)

// parseIn parses the layout and the page name of fsys for language lang,
// whose catalogue is cat, with each constant message written into the
// template's text, escaped, rather than looked up at every execution: a
// page shows a dozen such labels per offer, and each action costs
// html/template a reflective call and an escaper. Every such action is in
// text or a quoted attribute, where HTML escaping is the right escaping;
// checkKeys has checked the keys on the templates as written.
func (rd *renderer) parseIn(fsys fs.FS, name, lang string, cat catalogue) (*template.Template, error) {
	t := template.New(layoutFile).Funcs(rd.funcs(lang, cat))
	for i, file := range []string{"templates/" + layoutFile, name} {
		src, err := fs.ReadFile(fsys, file)
		if err != nil {
			return nil, err
		}
		folded := constantMessage.ReplaceAllStringFunc(string(src), func(action string) string {
			msg, ok := cat[constantMessage.FindStringSubmatch(action)[1]]
			if !ok || strings.Contains(msg, "{{") {
				return action
			}
			return html.EscapeString(msg)
		})
		tt := t
		if i > 0 {
			tt = t.New(path.Base(name))
		}
		if _, err := tt.Parse(folded); err != nil {
			return nil, fmt.Errorf("parse %s: %w", file, err)
		}
	}
	return t, nil
}

// loadAssets reads every file under assets/ in fsys.
func (rd *renderer) loadAssets(fsys fs.FS) error {
	names, err := fs.Glob(fsys, "assets/*")
	if err != nil {
		return fmt.Errorf("hostpage: list assets: %w", err)
	}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return fmt.Errorf("hostpage: read %s: %w", name, err)
		}
		sum := sha256.Sum256(data)
		rd.assets[path.Base(name)] = asset{data: data, version: hex.EncodeToString(sum[:8])}
	}
	return nil
}

// funcs returns the template functions for language lang, whose
// catalogue is cat:
//
//	lang             the language's code, for <html lang>
//	t KEY ARGS…      the message KEY, formatted with ARGS
//	tn KEY N         KEY.one or KEY.other by N, formatted with N
//	label PREFIX V   the name of the data value V ("feature", "theme", …)
//	date D           a program.Date, with the month's name
//	instant T        a time.Time in its location, with the zone
//	asset NAME       the versioned path of an embedded asset
func (rd *renderer) funcs(lang string, cat catalogue) template.FuncMap {
	return template.FuncMap{
		"lang":    func() string { return lang },
		"t":       cat.text,
		"tn":      cat.plural,
		"label":   cat.label,
		"date":    cat.date,
		"instant": cat.instant,
		"asset":   rd.assetPath,
	}
}

// assetPath returns the path pages link to for the asset name; an unknown
// name is a template's bug, reported as an execution error.
func (rd *renderer) assetPath(name string) (string, error) {
	a, ok := rd.assets[name]
	if !ok {
		return "", fmt.Errorf("no asset %q", name)
	}
	return "/assets/" + name + "?v=" + a.version, nil
}

// execute writes page in lang with data to a buffer, so that a failure
// halfway through sends nothing rather than half a page.
func (rd *renderer) execute(lang, page string, data any) (*bytes.Buffer, error) {
	t, ok := rd.pages[lang][page]
	if !ok {
		return nil, fmt.Errorf("hostpage: no page %s in language %s", page, lang)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, layoutFile, data); err != nil {
		return nil, fmt.Errorf("hostpage: render %s in %s: %w", page, lang, err)
	}
	return &buf, nil
}

// checkKeys reports every call of t or tn in the templates of set whose
// key is not a literal string, or is missing from cat (for tn, either
// plural form). A literal key is what lets this check, at start-up, stand
// in for finding a missing translation on a live page.
func checkKeys(set *template.Template, cat catalogue) error {
	var errs []error
	for _, use := range messageUses(set) {
		if use.keys == nil {
			errs = append(errs, fmt.Errorf("%s: the message key must be a literal string", use.where))
		}
		for _, k := range use.keys {
			if _, ok := cat[k]; !ok {
				errs = append(errs, fmt.Errorf("%s: no message %q", use.where, k))
			}
		}
	}
	return errors.Join(errs...)
}

// messageUse is one call of t or tn in a template.
type messageUse struct {
	where string // the template's name and the call, for errors
	// keys are the catalogue keys the call needs (both plural forms for
	// tn); nil when its key is not a literal string.
	keys []string
}

// messageUses returns the calls of t and tn in the templates of set.
func messageUses(set *template.Template) []messageUse {
	var uses []messageUse
	for _, t := range set.Templates() {
		if t.Tree == nil {
			continue
		}
		walk(t.Tree.Root, func(cmd *parse.CommandNode) {
			fn, ok := cmd.Args[0].(*parse.IdentifierNode)
			if !ok || (fn.Ident != "t" && fn.Ident != "tn") {
				return
			}
			use := messageUse{where: fmt.Sprintf("%s: %s", t.Name(), cmd)}
			if len(cmd.Args) > 1 {
				if key, ok := cmd.Args[1].(*parse.StringNode); ok {
					use.keys = []string{key.Text}
					if fn.Ident == "tn" {
						use.keys = []string{key.Text + ".one", key.Text + ".other"}
					}
				}
			}
			uses = append(uses, use)
		})
	}
	return uses
}

// walk calls visit on every command under n, in pipelines, branches,
// template calls and parenthesised arguments.
func walk(n parse.Node, visit func(*parse.CommandNode)) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			walk(c, visit)
		}
	case *parse.ActionNode:
		walk(n.Pipe, visit)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, c := range n.Cmds {
			walk(c, visit)
		}
	case *parse.CommandNode:
		visit(n)
		for _, a := range n.Args {
			walk(a, visit)
		}
	case *parse.IfNode:
		walkBranch(&n.BranchNode, visit)
	case *parse.RangeNode:
		walkBranch(&n.BranchNode, visit)
	case *parse.WithNode:
		walkBranch(&n.BranchNode, visit)
	case *parse.TemplateNode:
		walk(n.Pipe, visit)
	}
}

// walkBranch walks the pipeline and both lists of an if, range or with.
func walkBranch(b *parse.BranchNode, visit func(*parse.CommandNode)) {
	walk(b.Pipe, visit)
	walk(b.List, visit)
	walk(b.ElseList, visit)
}
