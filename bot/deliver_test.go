package bot

import (
	"testing"

	"github.com/bluehats/bluehats-bot/storage"
)

// Announcements are pinned whether typed (!annonce) or scheduled; nothing
// sent by direct chat, and no other reminder, is.
func TestIsAnnouncement(t *testing.T) {
	tests := []struct {
		item storage.OutboxItem
		want bool
	}{
		{storage.OutboxItem{Key: "announce:1700000000:!r:x", Room: "!r:x"}, true},
		{storage.OutboxItem{Key: "reminder:announce-3f2a:room:!r:x", Room: "!r:x"}, true},
		{storage.OutboxItem{Key: "reminder:announce-3f2a:user:@a:x", User: "@a:x"}, false},
		{storage.OutboxItem{Key: "reminder:deadline-7d:room:!r:x", Room: "!r:x"}, false},
		{storage.OutboxItem{Key: "reply:$e:0", Room: "!r:x"}, false},
	}
	for _, tc := range tests {
		if got := isAnnouncement(&tc.item); got != tc.want {
			t.Errorf("isAnnouncement(%s) = %v, want %v", tc.item.Key, got, tc.want)
		}
	}
}
