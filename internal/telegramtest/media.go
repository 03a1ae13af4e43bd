package telegramtest

import (
	"fmt"
	"time"
)

// The kinds of message a person can send besides text. A bot for people in
// difficulty gets voice notes, photos of letters and stickers as often as
// text, so each has a one-line helper that fills a realistic object.

// SendSticker sends a sticker showing emoji.
func (p *Person) SendSticker(emoji string) Message {
	id, uid := p.fileID("sticker")
	return p.Post(Message{Sticker: &Sticker{FileID: id, FileUniqueID: uid, Type: "regular", Width: 512, Height: 512, Emoji: emoji}})
}

// SendPhoto sends a photo, in the two sizes Telegram usually provides.
func (p *Person) SendPhoto(caption string) Message {
	small, smallU := p.fileID("photo")
	large, largeU := p.fileID("photo")
	return p.Post(Message{Caption: caption, Photo: []PhotoSize{
		{FileID: small, FileUniqueID: smallU, Width: 90, Height: 67, FileSize: 1200},
		{FileID: large, FileUniqueID: largeU, Width: 1280, Height: 960, FileSize: 96000},
	}})
}

// SendVoice sends a voice note of the given length.
func (p *Person) SendVoice(length time.Duration) Message {
	id, uid := p.fileID("voice")
	return p.Post(Message{Voice: &Voice{FileID: id, FileUniqueID: uid, Duration: int(length.Seconds()), MimeType: "audio/ogg"}})
}

// SendVideo sends a video of the given length.
func (p *Person) SendVideo(length time.Duration, caption string) Message {
	id, uid := p.fileID("video")
	return p.Post(Message{Caption: caption, Video: &Video{FileID: id, FileUniqueID: uid, Width: 720, Height: 1280, Duration: int(length.Seconds()), MimeType: "video/mp4"}})
}

// SendDocument sends a file.
func (p *Person) SendDocument(fileName, mimeType, caption string) Message {
	id, uid := p.fileID("document")
	return p.Post(Message{Caption: caption, Document: &Document{FileID: id, FileUniqueID: uid, FileName: fileName, MimeType: mimeType}})
}

// SendLocation shares a point.
func (p *Person) SendLocation(latitude, longitude float64) Message {
	return p.Post(Message{Location: &Location{Latitude: latitude, Longitude: longitude}})
}

// SendContact shares a contact card. To share their own number, as a
// "share my phone number" button does, pass the person's user id in
// c.UserID.
func (p *Person) SendContact(c Contact) Message {
	return p.Post(Message{Contact: &c})
}

// SendPoll creates a regular anonymous poll.
func (p *Person) SendPoll(question string, options ...string) Message {
	p.s.mu.Lock()
	p.s.nextFileID++
	id := fmt.Sprintf("5%017d", p.s.nextFileID)
	p.s.mu.Unlock()
	opts := make([]PollOption, len(options))
	for i, o := range options {
		opts[i] = PollOption{Text: o}
	}
	return p.Post(Message{Poll: &Poll{ID: id, Question: question, Options: opts, IsAnonymous: true, Type: "regular"}})
}

// Forward forwards into the private chat a text message written by
// someone else. A nil origin is a user who hides their account in
// forwards, which Telegram reports by name only.
func (p *Person) Forward(text string, origin *User, originName string) Message {
	o := &MessageOrigin{Type: "user", Date: p.s.date() - 3600, SenderUser: origin}
	if origin == nil {
		o = &MessageOrigin{Type: "hidden_user", Date: p.s.date() - 3600, SenderUserName: originName}
	}
	return p.Post(Message{Text: text, ForwardOrigin: o})
}

// Edit changes the text of one of the person's own messages; the bot gets
// an edited_message update carrying the new text and an edit_date.
func (p *Person) Edit(messageID int, text string) (Message, error) {
	s := p.s
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[p.id]
	sm, ok := c.message(messageID)
	if !ok || sm.fromBot || sm.msg.From == nil || sm.msg.From.ID != p.user.ID {
		return Message{}, fmt.Errorf("telegramtest: %s has no message %d to edit", p.user.FirstName, messageID)
	}
	if sm.msg.Text != "" {
		sm.msg.Text = text
		sm.msg.Entities = commandEntities(text)
	} else {
		sm.msg.Caption = text
	}
	sm.edited = true
	sm.msg.EditDate = s.date()
	msg := sm.msg
	s.enqueueLocked(Update{EditedMessage: &msg})
	s.notifyLocked()
	return msg, nil
}

func (p *Person) fileID(kind string) (string, string) {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	return p.s.fileIDLocked(kind)
}
