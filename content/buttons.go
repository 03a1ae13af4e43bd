package content

import "strconv"

// Reserved button values; Check keeps option values from starting with "~".
const (
	SkipValue = "~skip"
	DoneValue = "~done"
)

// NonceLen is the length of a run id. Check uses it to prove that every
// button's data fits Telegram's 64 bytes.
const NonceLen = 8

// MaxButtonData is Telegram's limit on callback data, in bytes.
const MaxButtonData = 64

// ButtonData is what a button carries: the run, the question and the value,
// so that a press can be checked against where the conversation is now.
func ButtonData(run, node, value string) string {
	return run + ":" + node + ":" + value
}

// ButtonValues lists the values node n may put on its buttons.
func ButtonValues(n *Node) []string {
	var vals []string
	switch n.Kind {
	case KindChoice, KindMulti:
		for _, o := range n.Options {
			vals = append(vals, o.Value)
		}
		if n.Kind == KindMulti {
			vals = append(vals, DoneValue)
		}
	case KindScale:
		for v := n.Min; v <= n.Max; v++ {
			vals = append(vals, strconv.Itoa(v))
		}
	case KindSuggest:
		// The longest of each: open, go, refer, not for me; more, back, carry on.
		vals = append(vals, "i99", "g99", "r99", "n99", "~more", "~list", DoneValue)
	}
	if n.Optional {
		vals = append(vals, SkipValue)
	}
	return vals
}
