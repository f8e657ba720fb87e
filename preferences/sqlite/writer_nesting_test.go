package sqlite

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"testing"
)

// A change runs on the writer goroutine: if its fn called inTx, or used the writer
// connection (db.write) directly, directly or through any function of this package that
// does, it would wait for the writer forever. This reads the package's source and
// fails on any such call inside a function passed to inTx, inTxPrompt or inTxThen (the
// change and the function run after its commit, both on the writer).
func TestNoChangeWaitsForTheWriter(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	bodies := map[string][]ast.Node{} // function or method name → bodies
	var parsed []*ast.File
	for _, name := range files {
		if filepath.Ext(name) != ".go" || len(name) > 8 && name[len(name)-8:] == "_test.go" {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, f)
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				bodies[fd.Name.Name] = append(bodies[fd.Name.Name], fd.Body)
			}
		}
	}
	// onDB reports whether e is the store: db (every method's receiver) or w.db.
	onDB := func(e ast.Expr) bool {
		switch x := e.(type) {
		case *ast.Ident:
			return x.Name == "db"
		case *ast.SelectorExpr:
			return x.Sel.Name == "db"
		}
		return false
	}
	// waits: the names that reach inTx or db.write, found by closure over calls by name.
	// (The reads' audit has a writer of its own: RecordAccess and FlushAudit may wait for
	// it, never for this one.)
	waits := map[string]bool{"inTx": true, "inTxPrompt": true, "inTxThen": true, "queueChange": true}
	uses := func(n ast.Node, bad map[string]bool) string {
		found := ""
		ast.Inspect(n, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.SelectorExpr:
				if onDB(x.X) && (x.Sel.Name == "write" || bad[x.Sel.Name]) {
					found = x.Sel.Name
				}
			case *ast.CallExpr:
				if id, ok := x.Fun.(*ast.Ident); ok && bad[id.Name] {
					found = id.Name
				}
			}
			return found == ""
		})
		return found
	}
	for changed := true; changed; {
		changed = false
		for name, bs := range bodies {
			for _, b := range bs {
				if !waits[name] && uses(b, waits) != "" {
					waits[name], changed = true, true
				}
			}
		}
	}
	calls := 0
	for _, f := range parsed {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); !ok || !waits[sel.Sel.Name] || sel.Sel.Name == "queueChange" {
				return true
			}
			calls++
			for _, arg := range call.Args {
				if lit, ok := arg.(*ast.FuncLit); ok {
					if name := uses(lit.Body, waits); name != "" {
						t.Errorf("%s: a change calls %s, which waits for the writer", fset.Position(lit.Pos()), name)
					}
				}
			}
			return true
		})
	}
	if calls < 10 {
		t.Fatalf("found only %d calls of inTx: the check reads the wrong files", calls)
	}
}
