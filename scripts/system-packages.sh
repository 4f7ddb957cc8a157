#!/usr/bin/env bash
# Installs the Debian packages the product needs for a purpose ("demo" or "test"),
# only those missing, and only when running as root with apt-get. Otherwise it names
# what is missing; with CI=true a missing package is an error, so no test can skip.
set -euo pipefail

purpose=${1:-test}

desktop=(xvfb xauth libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0
  libxcb-xkb1 libegl1 libgl1 libnss3 libxcomposite1 libxdamage1 libxrandr2 libxtst6
  libasound2 fonts-dejavu-core
  # pynput's evdev (remote control) has no wheel for Linux: pip builds it
  gcc linux-libc-dev)
browser=(chromium)
databases=(postgresql redis-server)
# Tk for the screen sharing's tests and benchmark (windows to share and to type into):
# libtk8.6 for a Python built against it, python3-tk for Debian's own Python
tools=(smartmontools poppler-utils wrk libtk8.6 python3-tk)

case "$purpose" in
  demo) wanted=("${desktop[@]}") ;;
  test) wanted=("${desktop[@]}" "${browser[@]}" "${databases[@]}" "${tools[@]}") ;;
  *) echo "usage: $0 demo|test" >&2; exit 2 ;;
esac

missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
  exit 0
fi

echo "Missing system packages: ${missing[*]}" >&2
echo "Install them with: sudo apt-get install ${missing[*]}" >&2
if [[ "${CI:-}" == "true" ]]; then exit 1; fi
