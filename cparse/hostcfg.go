package cparse

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"

	"modernc.org/cc/v4"
)

// HostCache keeps, between runs, what the host C compiler says of itself:
// its predefined macros and include paths, which cc/v4's NewConfig learns
// by running it twice (about 20 ms, more than cc/v4 then takes to read a
// header like sqlite3.h). Keys name the compiler binary (path, size,
// modification time), the flags and vtablegen's C front end: a new
// compiler or different flags never see an old entry. The package itself
// writes nothing; the command keeps the entries in the user's cache
// directory.
type HostCache interface {
	// Load returns the data stored under key, or nil.
	Load(key string) []byte
	// Store keeps data under key; a failure is ignored (the next run asks
	// the compiler again).
	Store(key string, data []byte)
}

// hostConfigFormat changes whenever hostConfigData does.
const hostConfigFormat = "1"

// hostConfigData is what is cached: the exported fields of cc/v4's
// configuration that NewConfig fills from the host compiler.
type hostConfigData struct {
	CC                  string
	Predefined          string
	HostIncludePaths    []string
	HostSysIncludePaths []string
}

// hostConfigKey returns the cache key of the host configuration for
// flags, or false when it cannot be cached: no host compiler, or a flag
// that changes what cc/v4 keeps to itself (keywords for -ansi, -fno-asm
// and a non-GNU -std=, -ffreestanding, -fno-builtin, long double's size).
func hostConfigKey(flags []string) (string, bool) {
	for _, f := range flags {
		std, isStd := strings.CutPrefix(f, "-std=")
		if f == "-ansi" || f == "-fno-asm" || f == "-ffreestanding" || f == "-fno-builtin" ||
			isStd && !strings.HasPrefix(std, "gnu") || f == cc.LongDouble64Flag(runtime.GOOS, runtime.GOARCH) {
			return "", false
		}
	}
	path := hostCompiler()
	if path == "" {
		return "", false
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", false
	}
	st, err := os.Stat(real)
	if err != nil {
		return "", false
	}
	ccVersion := "?"
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path == "modernc.org/cc/v4" {
				ccVersion = m.Version
			}
		}
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s/%s\x00%s\x00%s\x00%d\x00%d\x00%s\x00%q",
		hostConfigFormat, ccVersion, runtime.GOOS, runtime.GOARCH, os.Getenv("CC"), real, st.Size(), st.ModTime().UnixNano(), path, flags)
	return hex.EncodeToString(h.Sum(nil)[:16]), true
}

// hostConfig returns cc/v4's configuration for the host compiler and
// flags: from cache when it holds it (and every include directory it
// names still exists), else from cc.NewConfig, then stored in cache.
func hostConfig(flags []string, cache HostCache) (*cc.Config, error) {
	key, ok := "", false
	if cache != nil {
		key, ok = hostConfigKey(flags)
	}
	if ok {
		if cfg := loadHostConfig(cache.Load(key)); cfg != nil {
			return cfg, nil
		}
	}
	cfg, err := cc.NewConfig("", "", flags...)
	if err != nil || !ok {
		return cfg, err
	}
	if data, err := json.Marshal(hostConfigData{cfg.CC, cfg.Predefined, cfg.HostIncludePaths, cfg.HostSysIncludePaths}); err == nil {
		cache.Store(key, data)
	}
	return cfg, nil
}

// loadHostConfig makes the configuration NewConfig would, from data, or
// returns nil when data is not a usable entry.
func loadHostConfig(data []byte) *cc.Config {
	if data == nil {
		return nil
	}
	var d hostConfigData
	if json.Unmarshal(data, &d) != nil || d.CC == "" || d.Predefined == "" {
		return nil
	}
	for _, dir := range append(append([]string{}, d.HostIncludePaths...), d.HostSysIncludePaths...) {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return nil
		}
	}
	abi, err := cc.NewABI(runtime.GOOS, runtime.GOARCH)
	if err != nil {
		return nil
	}
	return &cc.Config{
		ABI:                 abi,
		CC:                  d.CC,
		HostIncludePaths:    d.HostIncludePaths,
		HostSysIncludePaths: d.HostSysIncludePaths,
		IncludePaths:        append([]string{""}, append(append([]string{}, d.HostIncludePaths...), d.HostSysIncludePaths...)...),
		Predefined:          d.Predefined,
		SysIncludePaths:     d.HostSysIncludePaths,
	}
}
