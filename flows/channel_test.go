package flows

import "testing"

func TestChannelOf(t *testing.T) {
	tests := []struct {
		name string
		user int64
		want string
	}{
		{"a Telegram user", 123456789, ChannelTelegram},
		{"the largest Telegram user id (52 bits)", 1<<52 - 1, ChannelTelegram},
		{"a group", -1001234567890, ChannelTelegram},
		{"the first web visitor", WebUserMin, ChannelWeb},
		{"the last web visitor", 1<<63 - 1, ChannelWeb},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ChannelOf(tt.user); got != tt.want {
				t.Errorf("ChannelOf(%d) = %q, want %q", tt.user, got, tt.want)
			}
			if got := IsWeb(tt.user); got != (tt.want == ChannelWeb) {
				t.Errorf("IsWeb(%d) = %v", tt.user, got)
			}
		})
	}
}
