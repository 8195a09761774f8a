# bench-lib.sh: what the Kbuild benchmarks share. Source it after `cd` to
# the repository with name set (e.g. bench-kernel); it checks the
# reference unit make test builds and sets
#   k        .cache/kernel
#   vg       vtablegen, built from this tree
#   objtree  the Debian kernel build directory of the reference unit
#   cmd      Kbuild's compile command of the unit
#   cpp      that command turned into a preprocessing one (gcc -E)
k=.cache/kernel
[ -f $k/x.i ] || { echo "$name: $k/x.i missing: run make test first" >&2; exit 1; }
[ -x /usr/bin/time ] || apt-get install -y -qq time >/dev/null
go build -o "$k/vtablegen" ./cmd/vtablegen
vg=$PWD/$k/vtablegen
objtree=/usr/src/linux-headers-$(cat $k/version)
cmd=$(head -n 1 $k/.x.o.cmd | sed 's/^[^=]*:= //; s/;.*//; s/-Wp,-MMD,[^ ]* //')
cpp=$(echo "$cmd" | sed 's/ -c / -E /; s/ -o [^ ]*\.o / -o \/dev\/null /')
