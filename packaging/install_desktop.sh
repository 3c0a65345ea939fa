#!/usr/bin/env bash
# `make install-desktop`: the desktop entry, icon and AppStream metainfo, for this user by default.
#   DATADIR=/usr/share sudo -E make install-desktop   # system-wide instead
#   BRUSHWORK_EXEC=/opt/brushwork/brushwork ...        # point the entry at a bundle
# The entry runs `<brushwork> studio`, with <brushwork> made absolute (a menu has no venv on its PATH).
set -euo pipefail
cd "$(dirname "$0")/.."

DATADIR=${DATADIR:-${XDG_DATA_HOME:-$HOME/.local/share}}
APP=org.brushwork.Brushwork
EXEC=${BRUSHWORK_EXEC:-}
if [ -z "$EXEC" ]; then
    if [ -x .venv/bin/brushwork ]; then EXEC="$PWD/.venv/bin/brushwork"
    elif command -v brushwork >/dev/null 2>&1; then EXEC=$(command -v brushwork)
    else echo "install-desktop: no brushwork executable (run make setup, or set BRUSHWORK_EXEC)" >&2; exit 1
    fi
fi
case "$EXEC" in
    *[[:space:]\"\'\\]*) echo "install-desktop: $EXEC has spaces or quotes; move it or set BRUSHWORK_EXEC" >&2; exit 1 ;;
esac

install -d "$DATADIR/applications" "$DATADIR/icons/hicolor/scalable/apps" "$DATADIR/metainfo"
sed -e "s|^Exec=brushwork |Exec=$EXEC |" -e "s|^TryExec=brushwork$|TryExec=$EXEC|" \
    "packaging/$APP.desktop" > "$DATADIR/applications/$APP.desktop"
chmod 644 "$DATADIR/applications/$APP.desktop"
install -m 644 "packaging/$APP.svg" "$DATADIR/icons/hicolor/scalable/apps/$APP.svg"
install -m 644 "packaging/$APP.metainfo.xml" "$DATADIR/metainfo/$APP.metainfo.xml"
# Menus pick the entry up faster with these; both are optional.
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$DATADIR/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$DATADIR/icons/hicolor" || true
echo "installed $APP (runs: $EXEC studio) under $DATADIR"
