#!/usr/bin/env bash
# Refreshes the parts of the French State design system (DSFR, @gouvfr/dsfr
# on npm, MIT-licensed code) that the programme page uses, into
# web/assets/dsfr/, from the pinned version below. The Marianne font is
# copied too, but the page loads it only with http.state_branding: true
# (it is reserved to State services).
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=1.14.2
dest=web/assets/dsfr
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

curl -fsSL "https://registry.npmjs.org/@gouvfr/dsfr/-/dsfr-$VERSION.tgz" | tar xz -C "$tmp"
dist=$tmp/package/dist
rm -rf "$dest"
mkdir -p "$dest/core" "$dest/fonts" "$dest/icons/weather"
cp "$dist/core/core.min.css" "$dest/core/"
# The components keep their folders: their CSS finds the icons at ../../icons.
for c in header badge link callout skiplink logo; do
	mkdir -p "$dest/component/$c"
	cp "$dist/component/$c/$c.min.css" "$dest/component/$c/"
done
# The icons the page shows: the "on now" badge's.
cp "$dist/icons/weather/flashlight-fill.svg" "$dest/icons/weather/"
for f in Marianne-Regular Marianne-Bold Marianne-Medium; do
	cp "$dist/fonts/$f.woff2" "$dest/fonts/"
done
cp "$tmp/package/LICENSE.md" "$dest/LICENSE.md"
echo "$VERSION" >"$dest/VERSION"
echo "dsfr.sh: @gouvfr/dsfr $VERSION copied to $dest"
