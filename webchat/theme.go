package webchat

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
)

// DefaultColour is the main colour when the council sets none: a dark
// green that white text reads on at 7.9:1.
const DefaultColour = "#1d5e3c"

var colourPattern = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// CheckColour reports whether colour ("#rrggbb") can be the chat's main
// colour: the background of buttons with white text, and the colour of
// links on white. Both need a contrast of at least 4.5:1 (WCAG 2.2 AA,
// 1.4.3); the error names the contrast found.
func CheckColour(colour string) error {
	if !colourPattern.MatchString(colour) {
		return fmt.Errorf("colour %q is not of the form #rrggbb", colour)
	}
	if c := contrast(luminance(colour), 1); c < 4.5 {
		return fmt.Errorf("colour %s gives white text a contrast of %.1f:1; WCAG 2.2 AA needs 4.5:1, so choose a darker colour", colour, c)
	}
	return nil
}

// luminance is the relative luminance of "#rrggbb", as WCAG defines it.
func luminance(colour string) float64 {
	var l [3]float64
	for i := range l {
		v, _ := strconv.ParseUint(colour[1+2*i:3+2*i], 16, 8)
		c := float64(v) / 255
		if c <= 0.04045 {
			l[i] = c / 12.92
		} else {
			l[i] = math.Pow((c+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*l[0] + 0.7152*l[1] + 0.0722*l[2]
}

// contrast is the WCAG contrast ratio of two luminances.
func contrast(a, b float64) float64 {
	return (math.Max(a, b) + 0.05) / (math.Min(a, b) + 0.05)
}

// themeCSS is the stylesheet of the council's colour, served as a file: the
// strict Content-Security-Policy allows no inline style.
func themeCSS(colour string) []byte {
	return []byte(":root{--main:" + colour + ";}\n")
}
