package commands

import (
	"context"
	"fmt"
	"strings"
)

var widgetCmd = &Spec{Name: "widget", English: "widget", Role: Organiser, Args: AnyArgs, Help: Help{
	FR: "ajouter la page du programme au salon, dans le panneau latéral d'Element (« non » pour la retirer)",
	EN: "add the programme page to the room, in Element's side panel (\"off\" to remove it)",
}}

// WidgetType is the state event Element reads a room's widgets from.
const WidgetType = "im.vector.modular.widgets"

// WidgetKey is the state key (and ID) of the programme widget.
const WidgetKey = "bluehats-programme"

func widgetCommands() []command { return []command{{widgetCmd, widget}} }

// widget adds or removes the programme page as a widget of the room where
// it is typed.
func widget(_ context.Context, env *Env, req *Request) (*Reply, error) {
	t := req.T
	remove := isAnswer(req.Args, "non", "off", "no", "retirer", "remove")
	switch {
	case req.Args != "" && !remove:
		return Text(fmt.Sprintf(t.WidgetUsage, req.Typed)), nil
	case req.Direct:
		return Text(fmt.Sprintf(t.WidgetUsage, req.Typed)), nil
	case env.PublicURL == "" && !remove:
		return Text(t.WidgetNoPage), nil
	case !req.MayWidget:
		return Text(t.WidgetNoPower), nil
	}
	state := &State{Type: WidgetType, Key: WidgetKey, Content: map[string]any{}}
	msg := t.WidgetRemoved
	if !remove {
		url := ProgrammeURL(env.PublicURL)
		if req.Lang == "en" {
			url += "?lang=en"
		}
		state.Content = map[string]any{
			"id": WidgetKey, "type": "m.custom", "url": url, "name": t.WidgetName + " — " + env.Conference.Title,
			"data": map[string]any{"title": strings.TrimSpace(env.Conference.Title)},
		}
		msg = t.WidgetAdded
	}
	return &Reply{Parts: []Part{{State: state, Key: fmt.Sprintf("widget:%s:%d", req.Room, req.Now.UnixNano())}, {Markdown: msg}}}, nil
}
