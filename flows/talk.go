package flows

import "time"

// talkFlow is the flow /talk starts, if the content has it.
const talkFlow = "talk"

// talk asks for a link worker at any point, without the questions of the
// self-referral: the talk flow asks only what is missing (agreement, a
// name, how to reach them). A self-referral under way gives way to it, and
// its answers so far go with the request, so nothing the person said is
// asked again.
func (st *stepper) talk() {
	if st.b.Flows[talkFlow] == nil {
		st.say("unknown_command")
		st.reask()
		return
	}
	var carry map[string]string
	if st.s.Active() && st.s.Flow == st.b.MainFlow {
		if st.s.Consent {
			carry = copyMap(st.s.Answers)
		}
		st.s.Node = ""
	}
	st.startFlow(talkFlow, "", time.Time{}, carry)
}
