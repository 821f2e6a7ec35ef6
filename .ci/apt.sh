# Sourced by the .ci scripts. apt_install PACKAGE... installs Debian
# packages, as root or with sudo, refreshing the package index only if
# an install fails (a fresh machine's index may be missing or stale).
apt_install() {
	local sudo=()
	[ "$(id -u)" -eq 0 ] || sudo=(sudo)
	echo "installing: $*"
	export DEBIAN_FRONTEND=noninteractive
	if ! "${sudo[@]}" apt-get install -y -q "$@"; then
		"${sudo[@]}" apt-get update -q
		"${sudo[@]}" apt-get install -y -q "$@"
	fi
}

# need CMD PACKAGE... installs the packages unless CMD is found.
need() {
	local cmd=$1
	shift
	command -v "$cmd" >/dev/null || apt_install "$@"
}
