"""Lineage history: one row per version (thumbnail, id, source, time), a diff view and a revert button."""
from __future__ import annotations

import time

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QImage, QPixmap, QSyntaxHighlighter, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

THUMB = 72


class DiffHighlighter(QSyntaxHighlighter):
    """Green added lines, red removed lines, grey hunk headers."""

    def __init__(self, document: QTextDocument):
        super().__init__(document)
        self._fmt = {}
        for key, colour in (("+", "#2e9d48"), ("-", "#d64541"), ("@", "#7f8c98")):
            f = QTextCharFormat()
            f.setForeground(QColor(colour))
            self._fmt[key] = f

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt override)
        if text.startswith(("+++", "---")):
            return
        fmt = self._fmt.get(text[:1])
        if fmt is not None:
            self.setFormat(0, len(text), fmt)


class HistoryPanel(QWidget):
    """Versions of the open sketch, newest first; select one to see its diff against its parent."""

    selected = Signal(int)           # sketch id
    revert_requested = Signal(int)   # load this version's code into the editor
    compare_requested = Signal(int)  # open the side-by-side diff of this version against its parent

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setUniformItemSizes(True)
        self.list.currentItemChanged.connect(self._on_current)
        self.list.itemDoubleClicked.connect(lambda item: self.revert_requested.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.revert_button = QPushButton("Revert to this version")
        self.revert_button.setToolTip("Load the selected version's code into the editor as an unsaved edit")
        self.revert_button.setEnabled(False)
        self.revert_button.clicked.connect(self._revert)
        self.compare_button = QPushButton("Side by side…")
        self.compare_button.setToolTip("Read the diff against the parent version side by side, in a large window")
        self.compare_button.setEnabled(False)
        self.compare_button.clicked.connect(self._compare)
        self.diff_title = QLabel("Diff")
        self.diff_title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.diff = QPlainTextEdit()
        self.diff.setReadOnly(True)
        self.diff.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.diff.setPlaceholderText("Select a version to see what changed from its parent.")
        self._diff_hl = DiffHighlighter(self.diff.document())
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        header.addWidget(QLabel("<b>History</b>"))
        header.addStretch(1)
        header.addWidget(self.revert_button)
        tl.addLayout(header)
        tl.addWidget(self.list)
        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        diff_header = QHBoxLayout()
        diff_header.addWidget(self.diff_title, 1)
        diff_header.addWidget(self.compare_button)
        bl.addLayout(diff_header)
        bl.addWidget(self.diff)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(top)
        split.addWidget(bottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        self._items: dict[int, QListWidgetItem] = {}

    def set_versions(self, versions: list, current_id: int | None) -> None:  # list[core.store.Sketch]
        """Show these versions (oldest first in, newest shown first) and select the current one."""
        self.list.blockSignals(True)
        self.list.clear()
        self._items = {}
        for depth, sk in reversed(list(enumerate(versions))):
            when = time.strftime("%H:%M:%S", time.localtime(sk.created_at)) if sk.created_at else ""
            label = f"#{sk.id}  {sk.source}\nv{depth + 1} · {when}"
            if sk.title:
                label += f"\n{sk.title[:28]}"
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, sk.id)
            item.setSizeHint(QSize(0, THUMB + 8))
            self.list.addItem(item)
            self._items[sk.id] = item
        self.list.blockSignals(False)
        if current_id in self._items:
            self.list.setCurrentItem(self._items[current_id])
        self.revert_button.setEnabled(self.list.currentItem() is not None)
        self.compare_button.setEnabled(self.list.currentItem() is not None)

    def ids(self) -> list[int]:
        """Version ids as listed (newest first)."""
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]

    def set_thumbnail(self, sketch_id: int, png: bytes | None) -> None:
        item = self._items.get(sketch_id)
        if item is None or not png:
            return
        img = QImage.fromData(png, "PNG")
        if not img.isNull():
            pix = QPixmap.fromImage(img).scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                                                Qt.TransformationMode.SmoothTransformation)
            item.setIcon(QIcon(pix))

    def has_thumbnail(self, sketch_id: int) -> bool:
        item = self._items.get(sketch_id)
        return item is not None and not item.icon().isNull()

    def select(self, sketch_id: int) -> None:
        if sketch_id in self._items:
            self.list.setCurrentItem(self._items[sketch_id])

    def show_diff(self, title: str, text: str) -> None:
        self.diff_title.setText(title)
        self.diff.setPlainText(text or "(no differences)")

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _on_current(self, item: QListWidgetItem | None, _prev: QListWidgetItem | None) -> None:
        self.revert_button.setEnabled(item is not None)
        self.compare_button.setEnabled(item is not None)
        if item is not None:
            self.selected.emit(item.data(Qt.ItemDataRole.UserRole))

    def _compare(self) -> None:
        sid = self.current_id()
        if sid is not None:
            self.compare_requested.emit(sid)

    def _revert(self) -> None:
        sid = self.current_id()
        if sid is not None:
            self.revert_requested.emit(sid)
