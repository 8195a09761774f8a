# lib.sh: what the fixture scripts share. Source it after setting
#   name  the script's name for messages, e.g. kernel-fixtures
#   skips what skips when the fixture is missing, e.g. "the kernel tests"

# fail reports a set-up failure: an error under CI=true, where a test must
# never pass by skipping; elsewhere a warning, and the tests that need the
# fixture skip.
fail() {
	echo "$name: $*" >&2
	if [ "${CI:-}" = true ]; then exit 1; fi
	echo "$name: $skips will skip (they fail under CI=true)" >&2
	exit 0
}

# apt_update_once CACHE: apt-get update, once per cache (a stamp records it).
apt_update_once() {
	command -v apt-get >/dev/null || fail "apt-get not found"
	mkdir -p "$1"
	[ -f "$1/apt-updated" ] && return 0
	apt-get update -qq || fail "apt-get update failed"
	touch "$1/apt-updated"
}

# apt_download DIR PACKAGE...: apt-get download into DIR, without the
# warning apt prints when root downloads unsandboxed.
apt_download() {
	local dir=$1
	shift
	(cd "$dir" && apt-get download -qq "$@" 2>&1 | grep -v 'Download is performed unsandboxed' >&2 || true)
}
