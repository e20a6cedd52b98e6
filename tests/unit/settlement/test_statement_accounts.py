"""The account a statement names, and which registered account that is."""

from __future__ import annotations

import uuid

import pytest

from app.domain.settlement.statement_accounts import (
    AccountIdentity,
    RegisteredAccount,
    bank_code_of,
    identity_from_text,
    match_statement_account,
)


@pytest.mark.parametrize(
    ("raw", "hint", "expected"),
    [
        (
            "BR1800360305000010009795493C1",
            "",
            AccountIdentity("104", "00001", "0009795493", "BR1800360305000010009795493C1"),
        ),
        (
            "BR18 9999 9999 0000 1000 9795 493C 1",
            "",
            AccountIdentity("", "00001", "0009795493", "BR1899999999000010009795493C1"),
        ),
        (
            "DE89370400440532013000",
            "",
            AccountIdentity(account="DE89370400440532013000", iban="DE89370400440532013000"),
        ),
        ("0341/1234/56789-0", "", AccountIdentity("341", "1234", "56789-0")),
        ("3344-5/998877-6", "0001", AccountIdentity("001", "3344-5", "998877-6")),
        ("4455667788", "121000248", AccountIdentity(account="4455667788")),
        ("10020030/1234567890", "", AccountIdentity(agency="10020030", account="1234567890")),
        (None, "", AccountIdentity()),
    ],
)
def test_identity_from_text(raw: str | None, hint: str, expected: AccountIdentity) -> None:
    assert identity_from_text(raw, hint) == expected


def test_bank_codes() -> None:
    assert [bank_code_of(x) for x in ("1", "0001", "341", "121000248", "ITAUBRSP", "")] == [
        "001",
        "001",
        "341",
        "",
        "",
        "",
    ]


def _acc(bank: str, agency: str, account: str, digit: str = "", agency_digit: str = "") -> RegisteredAccount:
    return RegisteredAccount(uuid.uuid4(), bank, agency, agency_digit, account, digit)


def test_matching_ignores_padding_and_check_digits_and_refuses_ambiguity() -> None:
    caixa = _acc("104", "0001", "979549", "3")
    itau = _acc("341", "1234", "56789", "0")
    bb = _acc("001", "3344", "998877", "6", agency_digit="5")
    accounts = [caixa, itau, bb]
    assert match_statement_account(accounts, identity_from_text("BR1800360305000010009795493C1")) == caixa.id
    assert match_statement_account(accounts, identity_from_text("0341/1234/56789-0")) == itau.id
    assert match_statement_account(accounts, identity_from_text("1234/56789")) == itau.id
    assert match_statement_account(accounts, identity_from_text("3344-5/998877-6", "0001")) == bb.id
    assert match_statement_account(accounts, identity_from_text("3344/998877", "1")) == bb.id
    # The right account at the wrong bank or agency is not it.
    assert match_statement_account(accounts, identity_from_text("0237/1234/56789-0")) is None
    assert match_statement_account(accounts, identity_from_text("9999/56789-0")) is None
    # An account number alone, held at two banks: ambiguous, so unknown.
    twin = _acc("237", "9", "56789", "0")
    assert match_statement_account([*accounts, twin], identity_from_text("56789-0")) is None
    assert match_statement_account(accounts, identity_from_text("56789-0")) == itau.id
    assert match_statement_account(accounts, AccountIdentity()) is None
