package main

import (
	"io"
	"os"
	"path/filepath"

	"github.com/vtablegen/vtablegen"
)

// fileHostCache keeps what the host C compiler says of itself (its
// predefined macros and include paths, see cparse.HostCache) as one small
// file per compiler and flags in dir, so that cc/v4's own preprocessor
// does not run the compiler twice on every run.
type fileHostCache struct{ dir string }

// hostCache returns the cache in the user's cache directory
// ($XDG_CACHE_HOME/vtablegen, ~/.cache/vtablegen), or nil when there is
// none or VTABLEGEN_CACHE=off says not to keep one.
func hostCache() vtablegen.HostCache {
	if os.Getenv("VTABLEGEN_CACHE") == "off" {
		return nil
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return nil
	}
	return fileHostCache{filepath.Join(base, "vtablegen")}
}

// maxHostEntry bounds what Load reads: an entry is a few KB.
const maxHostEntry = 1 << 20

func (c fileHostCache) path(key string) string { return filepath.Join(c.dir, "host-"+key+".json") }

// Load returns the entry under key, or nil (missing, unreadable, too
// large, not a regular file).
func (c fileHostCache) Load(key string) []byte {
	f, err := os.Open(c.path(key))
	if err != nil {
		return nil
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() || st.Size() > maxHostEntry {
		return nil
	}
	data, err := io.ReadAll(io.LimitReader(f, maxHostEntry))
	if err != nil {
		return nil
	}
	return data
}

// Store writes the entry under key through a temporary file renamed into
// place, so that a concurrent run reads the old entry or the new one,
// never half of one. Failures are ignored: the compiler is asked again.
func (c fileHostCache) Store(key string, data []byte) {
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(c.dir, ".host-*.tmp")
	if err != nil {
		return
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), c.path(key)) != nil {
		os.Remove(tmp.Name())
	}
}
