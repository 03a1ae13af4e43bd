package safetycase

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// keyBuilder is a method of store's keyspace and the names of its parameters.
type keyBuilder struct {
	decl   *ast.FuncDecl
	recv   string
	params []string
}

// storeKeys reads every method of store's keyspace type and returns the key
// pattern each one that builds a whole key spells, such as
// "sp:{u:<user>}:session", by method name. A parameter stands as <name>, a
// hashed one as <sha256 of name>, and the prefix as its default, sp.
// Builders of a part of a key (ending in ':') and SCAN patterns are left out.
func storeKeys(t *testing.T) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(repoRoot, "store", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	builders := map[string]keyBuilder{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || len(fn.Recv.List) != 1 {
				continue
			}
			if id, ok := fn.Recv.List[0].Type.(*ast.Ident); !ok || id.Name != "keyspace" {
				continue
			}
			kb := keyBuilder{decl: fn}
			if names := fn.Recv.List[0].Names; len(names) == 1 {
				kb.recv = names[0].Name
			}
			for _, p := range fn.Type.Params.List {
				for _, n := range p.Names {
					kb.params = append(kb.params, n.Name)
				}
			}
			builders[fn.Name.Name] = kb
		}
	}
	if len(builders) == 0 {
		t.Fatal("found no keyspace methods in store")
	}
	keys := map[string]string{}
	for name, kb := range builders {
		if strings.HasSuffix(name, "Pattern") {
			continue
		}
		args := make([]string, len(kb.params))
		for i, p := range kb.params {
			args[i] = "<" + p + ">"
		}
		pattern, err := evalBuilder(builders, name, args)
		if err != nil {
			t.Fatalf("store keyspace.%s: %v (teach keys_test.go to read it)", name, err)
		}
		if strings.HasSuffix(pattern, ":") {
			continue
		}
		keys[name] = pattern
	}
	return keys
}

// evalBuilder spells what the builder name returns for args.
func evalBuilder(builders map[string]keyBuilder, name string, args []string) (string, error) {
	kb, ok := builders[name]
	if !ok {
		return "", fmt.Errorf("no keyspace method %s", name)
	}
	body := kb.decl.Body
	if body == nil || len(body.List) != 1 {
		return "", fmt.Errorf("%s is not one return statement", name)
	}
	ret, ok := body.List[0].(*ast.ReturnStmt)
	if !ok || len(ret.Results) != 1 {
		return "", fmt.Errorf("%s is not one return statement", name)
	}
	env := map[string]string{}
	for i, p := range kb.params {
		env[p] = args[i]
	}
	return evalKey(builders, kb.recv, env, ret.Results[0])
}

// evalKey spells the string expression e of a key builder.
func evalKey(builders map[string]keyBuilder, recv string, env map[string]string, e ast.Expr) (string, error) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", fmt.Errorf("literal %s", e.Value)
		}
		return strconv.Unquote(e.Value)
	case *ast.ParenExpr:
		return evalKey(builders, recv, env, e.X)
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", fmt.Errorf("operator %s", e.Op)
		}
		x, err := evalKey(builders, recv, env, e.X)
		if err != nil {
			return "", err
		}
		y, err := evalKey(builders, recv, env, e.Y)
		return x + y, err
	case *ast.Ident:
		if v, ok := env[e.Name]; ok {
			return v, nil
		}
		return "", fmt.Errorf("identifier %s", e.Name)
	case *ast.SelectorExpr:
		if x, ok := e.X.(*ast.Ident); ok && x.Name == recv && e.Sel.Name == "prefix" {
			return "sp", nil
		}
		return "", fmt.Errorf("selector .%s", e.Sel.Name)
	case *ast.CallExpr:
		var args []string
		for _, a := range e.Args {
			if lit, ok := a.(*ast.BasicLit); ok && lit.Kind == token.INT {
				args = append(args, lit.Value)
				continue
			}
			v, err := evalKey(builders, recv, env, a)
			if err != nil {
				return "", err
			}
			args = append(args, v)
		}
		switch fun := e.Fun.(type) {
		case *ast.SelectorExpr:
			x, ok := fun.X.(*ast.Ident)
			switch {
			case ok && x.Name == recv:
				return evalBuilder(builders, fun.Sel.Name, args)
			case ok && x.Name == "strconv" && (fun.Sel.Name == "FormatInt" || fun.Sel.Name == "Itoa"):
				return args[0], nil
			}
			return "", fmt.Errorf("call of .%s", fun.Sel.Name)
		case *ast.Ident:
			switch fun.Name {
			case "globEscape", "string":
				return args[0], nil
			case "hashed":
				return "<sha256 of " + strings.Trim(args[0], "<>") + ">", nil
			}
			return "", fmt.Errorf("call of %s", fun.Name)
		}
	}
	return "", fmt.Errorf("expression %T", e)
}

// documentedKeys are the Redis key patterns a document names: text in
// backquotes that starts with the prefix.
var documentedKey = regexp.MustCompile("`(sp:[^`]+)`")

// TestPersonalDataNamesEveryKey holds docs/safety/personal-data.md to the
// keys store builds: a key added without saying what it holds, who sees
// it and how long it stays fails here, and so does a key the document
// names that nothing builds any more.
func TestPersonalDataNamesEveryKey(t *testing.T) {
	doc := readDoc(t, "docs/safety/personal-data.md")
	keys := storeKeys(t)
	named := map[string]bool{}
	for _, m := range documentedKey.FindAllStringSubmatch(doc, -1) {
		named[m[1]] = true
	}
	built := map[string]bool{}
	var methods []string
	for m := range keys {
		methods = append(methods, m)
	}
	slices.Sort(methods)
	for _, m := range methods {
		built[keys[m]] = true
		if !named[keys[m]] {
			t.Errorf("docs/safety/personal-data.md does not name `%s` (store keyspace.%s): add a row saying what it holds, who can see it, how long it is kept and what erases it", keys[m], m)
		}
	}
	for k := range named {
		if !built[k] && !strings.Contains(k, "*") { // a SCAN pattern is no key
			t.Errorf("docs/safety/personal-data.md names `%s`, which no store key builder makes", k)
		}
	}
}
