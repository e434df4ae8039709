# The two commands of the README, and a few helpers.
TAGS := goolm

.PHONY: demo test build vet

# Run the bot on a local homeserver (installs Dendrite the first time).
demo:
	go run -tags $(TAGS),demo ./cmd/bluehats-bot demo

# Every test, the integration tests against a real Dendrite included.
test:
	bash scripts/test.sh

build:
	go build -tags $(TAGS) -o bluehats-bot ./cmd/bluehats-bot

vet:
	go vet -tags $(TAGS) ./...

# Benchmarks against a bare echo bot on a local Dendrite (see BENCHMARKS.md);
# about a quarter of an hour, most of it opting 1,000 members in to reminders.
.PHONY: bench
bench:
	go run -tags $(TAGS) ./bench/load -out BENCHMARKS.results.md
