package conference

// ParseHours reads daily opening hours such as "9h-18h", "9h30 - 18h" or
// "09:00-18:00"; ok is false when the text is not of that form.
func ParseHours(s string) (open, close Clock, ok bool) { return parseHours(s) }
