"""The real dialogs of the charting screen, answered as a user would: presets, signing, going over a limit."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QInputDialog
from pytestqt.qtbot import QtBot

from sclerochart.domain.diagram import point_for
from sclerochart.domain.values import SessionState, View
from sclerochart.services import catalogue, sites
from sclerochart.ui.main_window import MainWindow
from sclerochart.ui.preset_dialog import PresetDialog
from sclerochart.ui.signing_dialogs import SignDialog
from tests.signing import PASSWORD, make_complete
from tests.ui.helpers import DialogAnswers, click, ctx_of, press, stored_session, stored_sites, type_and_press

OK = QDialogButtonBox.StandardButton.Ok
CANCEL = QDialogButtonBox.StandardButton.Cancel
SAVE = QDialogButtonBox.StandardButton.Save


# Save as preset on a key… ------------------------------------------------------------------------------------
def _open_site_with_volume(qtbot: QtBot, window: MainWindow, volume: str) -> None:
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    (site,) = stored_sites(window)
    window.charting.edit_site(site.id)
    editor = window.charting.site_editor
    qtbot.keyClicks(editor.volume, volume)
    qtbot.keyClick(editor.volume, "\r")
    assert stored_sites(window)[0].volume_ml == float(volume)


def _choose_key_and_name(key: int, name: str, button: QDialogButtonBox.StandardButton) -> Callable[[QDialog], None]:
    def handle(dialog: QDialog) -> None:
        assert isinstance(dialog, PresetDialog)
        keys = dialog.findChild(QComboBox)
        assert keys is not None
        keys.setCurrentIndex(keys.findData(key))
        type_and_press(dialog, name, button)

    return handle


def test_save_as_preset_puts_the_sites_settings_on_the_chosen_key(
    qtbot: QtBot, window: MainWindow, dialogs: DialogAnswers
) -> None:
    _open_site_with_volume(qtbot, window, "0.15")
    dialogs.answer(_choose_key_and_name(8, "Ankle flare", SAVE))
    window.charting.site_editor.preset_button.click()
    assert dialogs.seen == ["Put settings on a preset key"]
    (preset,) = [p for p in catalogue.list_presets(ctx_of(window)) if p.key == 8]
    (site,) = stored_sites(window)
    assert (preset.name, preset.volume_ml, preset.agent_id) == ("Ankle flare", 0.15, site.agent_id)
    assert "0.15 mL" in window.charting.preset_buttons.button(8).text()
    click(window.charting.canvas, View.POSTERIOR, 0, 60)
    assert stored_sites(window)[-1].volume_ml == 0.15


def test_save_as_preset_replacing_a_key_and_cancelling(
    qtbot: QtBot, window: MainWindow, dialogs: DialogAnswers
) -> None:
    before = catalogue.list_presets(ctx_of(window))
    _open_site_with_volume(qtbot, window, "0.25")
    dialogs.answer(_choose_key_and_name(2, "Thigh reticular", CANCEL))
    window.charting.site_editor.preset_button.click()
    assert dialogs.seen == ["Put settings on a preset key"]
    assert catalogue.list_presets(ctx_of(window)) == before

    def empty_name_then_replace(dialog: QDialog) -> None:
        assert isinstance(dialog, PresetDialog)
        dialog.key.setCurrentIndex(dialog.key.findData(2))
        assert "(replaced)" in dialog.key.currentText()
        type_and_press(dialog, "   ", SAVE)
        assert dialog.isVisible() and "Preset name is required" in dialog.form.message("Preset name")
        type_and_press(dialog, "Thigh reticular", SAVE)

    dialogs.answer(empty_name_then_replace)
    window.charting.site_editor.preset_button.click()
    (preset,) = [p for p in catalogue.list_presets(ctx_of(window)) if p.key == 2]
    assert (preset.name, preset.volume_ml) == ("Thigh reticular", 0.25)
    assert len(catalogue.list_presets(ctx_of(window))) == len(before)


# Sign session… -------------------------------------------------------------------------------------------
def test_the_sign_dialog_signs_with_the_password_typed(
    qtbot: QtBot, window: MainWindow, dialogs: DialogAnswers
) -> None:
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    make_complete(ctx_of(window), window.charting.controller.session_id)
    window.charting.controller.refresh()
    dialogs.answer(lambda dialog: press(dialog, CANCEL))
    window.charting.sign_action.trigger()
    assert stored_session(window).session.state is SessionState.DRAFT

    dialogs.answer(lambda dialog: type_and_press(dialog, PASSWORD, OK))
    window.charting.session_panel.sign_button.click()
    assert dialogs.seen == ["Sign session", "Sign session"]
    session = stored_session(window).session
    assert (session.state, session.signed_by) == (SessionState.SIGNED, "Dr. Ana Müller")
    assert window.charting.session_panel.sign_button.text() == "Signed by Dr. Ana Müller"


def test_the_sign_dialog_refuses_an_empty_password_and_stays_open(
    qtbot: QtBot, window: MainWindow, dialogs: DialogAnswers
) -> None:
    make_complete(ctx_of(window), window.charting.controller.session_id)
    window.charting.controller.refresh()
    said: list[str] = []

    def empty_then_cancel(dialog: QDialog) -> None:
        assert isinstance(dialog, SignDialog)
        type_and_press(dialog, "", OK)
        said.append(dialog.message.text() if dialog.isVisible() else "closed")
        press(dialog, CANCEL)

    dialogs.answer(empty_then_cancel)
    window.charting.sign_action.trigger()
    assert dialogs.seen == ["Sign session"]
    assert said and "not right for Dr. Ana Müller" in said[0]
    assert stored_session(window).session.state is SessionState.DRAFT


# Limit exceeded --------------------------------------------------------------------------------------------
def _up_to_the_limit(window: MainWindow) -> None:
    """46 sites of 3 mg: 138 of the 140 mg that 70 kg allow; the next click would go over."""
    controller = window.charting.controller
    assert controller.choose_preset_key(3)  # polidocanol 1 %, 0.3 mL = 3 mg
    assert controller.preset is not None
    for index in range(46):
        draft = controller.preset.site_draft(View.POSTERIOR, *point_for(View.POSTERIOR, index % 2, 5 + index, 0.0))
        sites.add_site(ctx_of(window), controller.session_id, draft)
    controller.refresh()


def test_going_over_a_limit_asks_for_a_reason_in_a_dialog(
    qtbot: QtBot, window: MainWindow, dialogs: DialogAnswers, warnings: list[str]
) -> None:
    _up_to_the_limit(window)
    asked: list[str] = []

    def read_and_cancel(dialog: QDialog) -> None:
        assert isinstance(dialog, QInputDialog)
        asked.append(dialog.labelText())
        press(dialog, CANCEL)

    dialogs.answer(read_and_cancel)
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    assert dialogs.seen == ["Limit exceeded"] and "exceeds the limit of 140 mg" in asked[0]
    assert len(stored_sites(window)) == 46

    dialogs.answer(lambda dialog: type_and_press(dialog, "", OK))
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    assert len(stored_sites(window)) == 46
    assert warnings and "A reason is needed to go over a limit" in warnings[-1]

    dialogs.answer(lambda dialog: type_and_press(dialog, "Agreed with Dr. Müller", OK))
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    last = stored_sites(window)[-1]
    assert (len(stored_sites(window)), last.override_reason) == (47, "Agreed with Dr. Müller")
    assert window.charting.totals.gauges[(last.agent_id, "mg per day")].property("severity") == "exceeded"
