"""A form generated from a config dataclass: one row per field, its help text as the tooltip.

Fields are read from `dataclasses.fields`, so a field added to the run config appears here with no
GUI change. bool → check box, int/float → spin box, a field whose metadata names `choices` → combo
box, anything else → a line edit (lists and dicts as JSON). `values()` returns what `from_dict`-style
constructors take; `errors()` lists fields whose text does not parse.
"""
from __future__ import annotations

import dataclasses
import json
import types
import typing
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from studio.widgets.wheel_guard import guard_wheel


def _base_type(tp: Any) -> Any:
    """int for `int | None`, str for `str`, etc. (strings of annotations are resolved by the caller)."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _base_type(args[0]) if len(args) == 1 else str
    return origin or tp


class ConfigForm(QWidget):
    """Editable rows for the fields of one dataclass instance (nested dataclasses flattened as a.b)."""

    def __init__(self, instance: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.cls = type(instance)
        self.layout_ = QFormLayout(self)
        self.layout_.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.layout_.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.editors: dict[str, tuple[QWidget, Any, bool]] = {}
        self._add_fields(instance, prefix="")
        guard_wheel(self)  # the wheel scrolls the form; a field changes only once clicked or tabbed to

    def _add_fields(self, instance: Any, prefix: str) -> None:
        try:
            hints = typing.get_type_hints(type(instance))
        except (NameError, TypeError):  # annotations naming local classes: fall back to the values' types
            hints = {f.name: (type(getattr(instance, f.name)) if getattr(instance, f.name) is not None
                              else str | None) for f in dataclasses.fields(instance)}
        for f in dataclasses.fields(instance):
            value = getattr(instance, f.name)
            name = prefix + f.name
            if dataclasses.is_dataclass(value):
                self.layout_.addRow(QLabel(f"<b>{f.name.replace('_', ' ')}</b>"))
                self._add_fields(value, prefix=name + ".")
                continue
            tp = _base_type(hints.get(f.name, str))
            optional = type(None) in typing.get_args(hints.get(f.name, str))
            editor = self._editor(tp, value, f.metadata)
            help_text = f.metadata.get("help", "")
            editor.setToolTip(help_text)
            label = QLabel(f.name.replace("_", " "))
            label.setToolTip(help_text)
            editor.setObjectName(f"field_{name}")
            self.layout_.addRow(label, editor)
            self.editors[name] = (editor, tp, optional)

    @staticmethod
    def _editor(tp: Any, value: Any, metadata: Any) -> QWidget:
        choices = metadata.get("choices")
        if choices:
            box = QComboBox()
            box.addItems([str(c) for c in choices])
            box.setCurrentText(str(value))
            return box
        if tp is bool:
            box = QCheckBox()
            box.setChecked(bool(value))
            return box
        if tp is int and value is not None:
            spin = QSpinBox()
            spin.setRange(-(2**31) + 1, 2**31 - 1)
            spin.setValue(int(value))
            return spin
        if tp is float and value is not None:
            spin = QDoubleSpinBox()
            spin.setDecimals(8 if abs(value) < 1e-2 and value else 4)
            spin.setRange(-1e12, 1e12)
            spin.setValue(float(value))
            return spin
        text = json.dumps(value) if isinstance(value, list | dict | tuple) else ("" if value is None else str(value))
        return QLineEdit(text)

    def _read(self, name: str) -> Any:
        editor, tp, optional = self.editors[name]
        if isinstance(editor, QComboBox):
            return editor.currentText()
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, QSpinBox | QDoubleSpinBox):
            return editor.value()
        text = editor.text().strip()
        if text == "" and optional:
            return None
        if tp in (list, dict, tuple):
            return json.loads(text)
        if tp is int:
            return int(text)
        if tp is float:
            return float(text)
        return text

    def values(self) -> dict:
        """The form as a nested dict (raises ValueError naming the first field that does not parse)."""
        out: dict = {}
        for name in self.editors:
            try:
                value = self._read(name)
            except (ValueError, json.JSONDecodeError) as e:
                raise ValueError(f"{name.replace('_', ' ')}: {e}") from e
            node = out
            *parents, leaf = name.split(".")
            for p in parents:
                node = node.setdefault(p, {})
            node[leaf] = value
        return out

    def errors(self) -> list[str]:
        """Fields whose text does not parse (empty when the form is valid)."""
        bad = []
        for name in self.editors:
            try:
                self._read(name)
            except (ValueError, json.JSONDecodeError) as e:
                bad.append(f"{name}: {e}")
        return bad

    def set_values(self, values: dict, prefix: str = "") -> None:
        """Fill the form from a (nested) dict, e.g. a preset's TOML."""
        for key, value in values.items():
            name = prefix + key
            if isinstance(value, dict) and not any(n == name for n in self.editors):
                self.set_values(value, prefix=name + ".")
                continue
            if name not in self.editors:
                continue
            editor, _tp, _opt = self.editors[name]
            if isinstance(editor, QComboBox):
                editor.setCurrentText(str(value))
            elif isinstance(editor, QCheckBox):
                editor.setChecked(bool(value))
            elif isinstance(editor, QSpinBox):
                editor.setValue(int(value))
            elif isinstance(editor, QDoubleSpinBox):
                editor.setValue(float(value))
            else:
                editor.setText(json.dumps(value) if isinstance(value, list | dict | tuple) else
                               ("" if value is None else str(value)))
