"""Japanese for the words the command-line framework says itself (Click's and Typer's usage errors, help headings,
prompts), which both look up with gettext in the default domain. `compiled()` makes the gettext catalogue (.mo) from
this table; the committed file `kizashi/data/locale/ja/LC_MESSAGES/messages.mo` is that catalogue (a test keeps the
two equal), and `kizashi.cli.run` points gettext at it while it runs, in the reader's language (KIZASHI_LANG, else the
locale)."""

from __future__ import annotations

import gettext
import struct
from importlib import resources
from pathlib import Path

DOMAIN = "messages"  # Click and Typer call gettext.gettext, the default domain
# Not here: the usage errors Typer says with gettext ("No such command …", "Missing command."), which it then extends
# in English; they stay English for kizashi.cli.usage to read back and say whole.
# Singular and plural of ngettext as one key (msgid "\0" msgid_plural): Japanese has one form.
PLURALS = {
    (
        "Got unexpected extra argument ({args})",
        "Got unexpected extra arguments ({args})",
    ): "余分な引数があります（{args}）",
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."): (
        "{nargs} 個の値が必要ですが、指定されたのは {len} 個です。"
    ),
    (
        "{len_type} values are required, but {len_value} was given.",
        "{len_type} values are required, but {len_value} were given.",
    ): "{len_type} 個の値が必要ですが、指定されたのは {len_value} 個です。",
    ("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}."): (
        "{value!r} は形式 {formats} に合いません。"
    ),
}
USAGE_JA: dict[str, str] = {
    "{editor}: Editing failed": "{editor}: 編集に失敗しました",
    "{editor}: Editing failed: {e}": "{editor}: 編集に失敗しました: {e}",
    "Windows error: {error}": "Windows のエラー: {error}",
    "Aborted!": "中断しました",
    "Aborted.": "中断しました。",
    "deprecated": "非推奨",
    "(deprecated) ": "（非推奨）",
    "Options": "オプション",
    "Positional arguments": "位置引数",
    "Arguments": "引数",
    "Commands": "コマンド",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": (
        "非推奨の警告: コマンド {name!r} は非推奨です。{extra_message}"
    ),
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": (
        "非推奨の警告: {param_type} {name!r} は非推奨です。{extra_message}"
    ),
    "Value must be an iterable.": "値は反復可能なものにしてください。",
    "env var: {var}": "環境変数: {var}",
    "default: {default}": "既定値: {default}",
    "[default: {}]": "[既定値: {}]",
    "[env var: {}]": "[環境変数: {}]",
    "[required]": "[必須]",
    "required": "必須",
    "(dynamic)": "（動的）",
    "Do you want to continue?": "続けますか？",
    "Confirm the action without prompting.": "確認せずに実行します。",
    "%(prog)s, version %(version)s": "%(prog)s バージョン %(version)s",
    "Show the version and exit.": "バージョンを表示して終了します。",
    "Show this message and exit.": "この説明を表示して終了します。",
    "Did you mean {possibility}?": "{possibility} のことですか？",
    "(Did you mean one of: {possibilities}?)": "（次のいずれかのことですか: {possibilities}）",
    "Missing argument": "引数がありません",
    "Missing option": "オプションがありません",
    "Missing parameter": "パラメーターがありません",
    "Missing parameter: {param_name}": "パラメーターがありません: {param_name}",
    "Missing {param_type}": "{param_type}がありません",
    "unknown error": "不明なエラー",
    "Invalid value for {param_hint}: {message}": "{param_hint} の値が正しくありません: {message}",
    "Invalid value: {message}": "値が正しくありません: {message}",
    "Could not open file {filename!r}: {message}": "ファイル {filename!r} を開けません: {message}",
    "Error: {message}": "エラー: {message}",
    "Error": "エラー",
    "Try '{command} {option}' for help.": "説明は '{command} {option}' で表示できます。",
    "Try [blue]'{command_path} {help_option}'[/] for help.": (
        "説明は [blue]'{command_path} {help_option}'[/] で表示できます。"
    ),
    "No such option {name!r}.": "オプション {name!r} はありません。",
    "Usage:": "使い方:",
    "Invalid start character for option ({option})": "オプションの先頭の文字が正しくありません（{option}）",
    "Option {name!r} does not take a value.": "オプション {name!r} は値をとりません。",
    "Option {name!r} requires an argument.": "オプション {name!r} には値が必要です。",
    "Option {name!r} requires {nargs} arguments.": "オプション {name!r} には {nargs} 個の値が必要です。",
    "Argument {name!r} takes {nargs} values.": "引数 {name!r} は {nargs} 個の値をとります。",
    "Press any key to continue...": "続けるには何かキーを押してください…",
    "Repeat for confirmation": "確認のためもう一度入力してください",
    "Error: The two entered values do not match.": "エラー: 二つの入力が一致しません。",
    "Error: invalid input": "エラー: 入力が正しくありません",
    "file": "ファイル",
    "directory": "フォルダー",
    "path": "パス",
    "Choose from:\n\t{choices}": "次から選んでください:\n\t{choices}",
    "{value!r} is not {choice}.": "{value!r} は {choice} ではありません。",
    "{value!r} is not one of {choices}.": "{value!r} は {choices} のいずれでもありません。",
    "{value} is not in the range {range}.": "{value} は範囲 {range} の外です。",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} は真偽値ではありません。使える値: {states}"
    ),
    "{value!r} is not a valid {number_type}.": "{value!r} は正しい {number_type} ではありません。",
    "{value!r} is not a valid UUID.": "{value!r} は正しい UUID ではありません。",
    "{name} {filename!r} is a file.": "{name} {filename!r} はファイルです。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} はフォルダーです。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} を読めません。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} に書き込めません。",
    "{name} {filename!r} is not executable.": "{name} {filename!r} を実行できません。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} がありません。",
}


# Typer's help words are module constants, translated once when its rich_utils is first imported: `retitle` says
# them again in the language of each run (the tests run the CLI many times in one process).
TYPER_CONSTANTS = {
    "DEPRECATED_STRING": "(deprecated) ",
    "DEFAULT_STRING": "[default: {}]",
    "ENVVAR_STRING": "[env var: {}]",
    "REQUIRED_LONG_STRING": "[required]",
    "ARGUMENTS_PANEL_TITLE": "Arguments",
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commands",
    "ERRORS_PANEL_TITLE": "Error",
    "ABORTED_TEXT": "Aborted.",
    "RICH_HELP": "Try [blue]'{command_path} {help_option}'[/] for help.",
}


def retitle() -> None:
    from typer import rich_utils

    for name, english in TYPER_CONSTANTS.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, gettext.gettext(english))


def locale_dir() -> Path:
    return Path(str(resources.files("kizashi") / "data" / "locale"))


def compiled() -> bytes:
    """The GNU gettext catalogue (.mo, little-endian, revision 0) of USAGE_JA and PLURALS, keys sorted as the
    format asks."""
    entries = {"": "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=1; plural=0;\n"}
    entries.update(USAGE_JA)
    entries.update({f"{one}\0{many}": ja for (one, many), ja in PLURALS.items()})
    keys = sorted(entries, key=lambda key: key.encode())
    ids = [key.encode() for key in keys]
    strs = [entries[key].encode() for key in keys]
    start = 7 * 4 + 16 * len(keys)  # header, then the two tables of (length, offset)
    id_table, str_table, blob = [], [], b""
    for text in ids:
        id_table.append((len(text), start + len(blob)))
        blob += text + b"\0"
    for text in strs:
        str_table.append((len(text), start + len(blob)))
        blob += text + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + 8 * len(keys), 0, 0)
    tables = b"".join(struct.pack("<2I", *pair) for pair in (*id_table, *str_table))
    return header + tables + blob
