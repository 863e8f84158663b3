#!/bin/sh
# Install the dlscan bundle (the folder this script is in) with its menu entry and icon.
#
#   ./install.sh                  per user: ~/.local/lib/dlscan, ~/.local/bin, ~/.local/share
#   sudo ./install.sh --system    for every user: /usr/local/lib/dlscan, /usr/local/bin,
#                                 /usr/share/applications, /usr/share/icons/hicolor
#   ./install.sh --uninstall [--system] [--purge]
#
# Uninstalling keeps the user's settings (~/.config/dlscan), log (~/.local/state/dlscan) and
# keyring entries (service "dlscan"); --purge also deletes the settings and log of the user
# running it. Run it again to update: the old copy is replaced.
set -eu

usage() {
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
}

scope=user
action=install
purge=no
for arg in "$@"; do
  case "$arg" in
    --system) scope=system ;;
    --user) scope=user ;;
    --uninstall) action=uninstall ;;
    --purge) purge=yes ;;
    -h|--help) usage ;;
    *) echo "install.sh: unknown option $arg" >&2; usage ;;
  esac
done

if [ "$scope" = system ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install.sh: --system needs root (sudo $0 $*)" >&2
    exit 1
  fi
  app_dir=/usr/local/lib/dlscan
  bin_dir=/usr/local/bin
  share_dir=/usr/share
else
  app_dir="$HOME/.local/lib/dlscan"
  bin_dir="$HOME/.local/bin"
  share_dir="${XDG_DATA_HOME:-$HOME/.local/share}"
fi
desktop_dir="$share_dir/applications"
icon_dir="$share_dir/icons/hicolor"
sizes="16 24 32 48 64 128 256"

refresh_caches() {
  # Menus and icon themes pick the change up without a new login where these tools exist.
  if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$desktop_dir" 2>/dev/null || true
  fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$icon_dir/index.theme" ]; then
    gtk-update-icon-cache -q -t "$icon_dir" 2>/dev/null || true
  fi
}

# Only ever delete a folder that is a dlscan bundle.
is_bundle() {
  [ -x "$1/dlscan" ] && [ -d "$1/_internal" ]
}

if [ "$action" = uninstall ]; then
  for exe in dlscan dlscan-cli; do
    link="$bin_dir/$exe"
    if [ -L "$link" ] && [ "$(readlink "$link")" = "$app_dir/$exe" ]; then rm -f "$link"; fi
  done
  rm -f "$desktop_dir/dlscan.desktop"
  for size in $sizes; do rm -f "$icon_dir/${size}x${size}/apps/dlscan.png"; done
  rm -f "$icon_dir/scalable/apps/dlscan.svg"
  if is_bundle "$app_dir"; then rm -rf "$app_dir"; fi
  refresh_caches
  if [ "$purge" = yes ]; then
    rm -rf "${XDG_CONFIG_HOME:-$HOME/.config}/dlscan" "${XDG_STATE_HOME:-$HOME/.local/state}/dlscan"
    echo "dlscan removed, with the settings and log of $(id -un)."
  else
    echo "dlscan removed; settings (~/.config/dlscan) and keyring entries were kept."
  fi
  echo "Stored secrets, if any: run 'dlscan-cli credentials clear --all' before uninstalling,"
  echo "or delete the keyring entries of service 'dlscan' (e.g. in GNOME Passwords and Keys)."
  exit 0
fi

src="$(cd "$(dirname "$0")" && pwd -P)"
if ! is_bundle "$src"; then
  echo "install.sh: $src is not a dlscan bundle (run the install.sh inside the unpacked dlscan folder)" >&2
  exit 1
fi

if [ "$src" != "$(cd "$app_dir" 2>/dev/null && pwd -P || echo "$app_dir")" ]; then
  if [ -e "$app_dir" ] && ! is_bundle "$app_dir"; then
    echo "install.sh: $app_dir exists and is not a dlscan bundle; not touching it" >&2
    exit 1
  fi
  rm -rf "$app_dir"
  mkdir -p "$(dirname "$app_dir")"
  cp -a "$src" "$app_dir"
fi

mkdir -p "$bin_dir" "$desktop_dir"
ln -sf "$app_dir/dlscan" "$bin_dir/dlscan"
ln -sf "$app_dir/dlscan-cli" "$bin_dir/dlscan-cli"

# The menu entry runs the installed executable by its full path (~/.local/bin may not be on
# the desktop session's PATH).
sed -e "s|^Exec=.*|Exec=$app_dir/dlscan %F|" -e "s|^TryExec=.*|TryExec=$app_dir/dlscan|" \
  "$src/dlscan.desktop" > "$desktop_dir/dlscan.desktop"
chmod 644 "$desktop_dir/dlscan.desktop"

icons="$app_dir/_internal/resources/icons"
for size in $sizes; do
  mkdir -p "$icon_dir/${size}x${size}/apps"
  cp "$icons/dlscan-$size.png" "$icon_dir/${size}x${size}/apps/dlscan.png"
done
mkdir -p "$icon_dir/scalable/apps"
cp "$icons/dlscan.svg" "$icon_dir/scalable/apps/dlscan.svg"
refresh_caches

echo "dlscan installed in $app_dir ($scope); menu entry: $desktop_dir/dlscan.desktop"
# The bundle carries Qt's xcb libraries; OpenGL/EGL and libxcb itself come from the system.
ldconfig=$(command -v ldconfig || echo /sbin/ldconfig)
missing=""
for lib in libxcb.so.1 libGL.so.1 libEGL.so.1; do
  "$ldconfig" -p 2>/dev/null | grep -q "$lib" || missing="$missing $lib"
done
if [ -n "$missing" ]; then
  echo "note: missing system libraries:$missing"
  echo "      Debian/Ubuntu: sudo apt-get install libxcb1 libgl1 libegl1"
fi
case ":$PATH:" in
  *":$bin_dir:"*) ;;
  *) echo "note: $bin_dir is not on PATH; the menu entry works regardless" ;;
esac
