"""Service levels (an offer counting for another category) on SYNTHETIC offers and on the real build."""

from __future__ import annotations

import re

import pytest

from atlas.accessibility.county import site_records
from atlas.accessibility.errors import StandardsError
from atlas.accessibility.service_levels import added_by_rules, load_rules, parse_rules, serving_mask
from tests.fixtures.synthetic_service_levels import OFFERS, RULES

def test_rule_adds_only_matching_offers_of_the_rule_category() -> None:
    mask = serving_mask(OFFERS, "Grundschule", RULES)
    assert OFFERS.loc[mask, "id"].tolist() == ["G1", "T1", "T3"]
    added = added_by_rules(OFFERS, "Grundschule", RULES)
    assert added["id"].tolist() == ["T1", "T3"] and set(added["regel_quelle"]) == {"Testregel"}
    # the register category of the added offers is untouched, and other destinations are unaffected
    assert serving_mask(OFFERS, "Gemeinschaftsschule", RULES).sum() == 3
    assert serving_mask(OFFERS, "Regelschule", RULES).tolist() == [False, False, False, False, True]
    assert serving_mask(OFFERS, "Grundschule", []).tolist() == [True, False, False, False, False]


def test_rule_without_condition_adds_every_offer_of_the_category() -> None:
    rules = parse_rules({"zaehlt_auch_fuer": [{"kategorie": "Regelschule", "zaehlt_fuer": "Sek I", "quelle": "x"}]})
    assert serving_mask(OFFERS, "Sek I", rules).tolist() == [False, False, False, False, True]


@pytest.mark.parametrize(("entry", "message"), [
    ({"kategorie": "A", "zaehlt_fuer": "B"}, "'quelle' fehlt"),
    ({"kategorie": "A", "zaehlt_fuer": "A", "quelle": "q"}, "gleich"),
    ({"kategorie": "A", "zaehlt_fuer": "B", "quelle": "q", "wenn": "(("}, "regulärer Ausdruck"),
    ({"kategorie": "A", "zaehlt_fuer": "B", "quelle": "q", "felder": "name"}, "'felder'"),
    ({"kategorie": "A", "zaehlt_fuer": "B", "quelle": "q", "farbe": "rot"}, "'farbe' ist kein bekanntes Feld"),
])
def test_bad_rules_give_german_errors_naming_the_rule(entry, message) -> None:
    with pytest.raises(StandardsError, match=re.escape("zaehlt_auch_fuer, Regel 1")) as err:
        parse_rules({"zaehlt_auch_fuer": [entry]}, source="standards.yaml")
    assert message in str(err.value)


def test_real_register_sites_follow_the_rules_of_the_standards_file(atlas_data) -> None:
    offers = atlas_data["angebote"]
    rules = load_rules()
    assert rules, "geodata/standards.yaml has service-level rules"
    for rule in rules:
        expected = set(offers.loc[serving_mask(offers, rule.zaehlt_fuer, rules), "id"].astype(str))
        got = site_records(atlas_data, rule.zaehlt_fuer)
        assert set(got["id"]) == expected
        extra = expected - set(offers.loc[offers["kategorie"] == rule.zaehlt_fuer, "id"].astype(str))
        for oid in extra:  # an added offer keeps its own category in the site table
            assert got.loc[got["id"] == oid, "kategorie"].iloc[0] != rule.zaehlt_fuer
