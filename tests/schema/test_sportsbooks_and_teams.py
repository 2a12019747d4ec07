"""Sportsbooks mapped from each source's own ids, and clubs resolved from any spelling."""

from __future__ import annotations

from betdb import UnifiedRepository
from betdb.generated.models import DataSource


async def test_a_source_book_id_resolves_to_our_book_and_can_be_remapped(
    repo: UnifiedRepository,
) -> None:
    circa = await repo.sportsbooks.upsert_sportsbook(
        key="circa", name="Circa Sports", is_active=True
    )
    novig = await repo.sportsbooks.upsert_sportsbook(key="novig", name="Novig", is_active=False)
    assert circa is not None
    assert novig is not None
    await repo.sportsbooks.map_sportsbook(
        source=DataSource.ACTION_NETWORK, external_id="1548", sportsbook_id=circa.sportsbook_id
    )
    await repo.sportsbooks.map_sportsbook(
        source=DataSource.SBR, external_id="circa-sports", sportsbook_id=circa.sportsbook_id
    )
    by_action = await repo.sportsbooks.resolve_sportsbook(
        source=DataSource.ACTION_NETWORK, external_id="1548"
    )
    assert by_action == circa
    await repo.sportsbooks.map_sportsbook(
        source=DataSource.ACTION_NETWORK, external_id="1548", sportsbook_id=novig.sportsbook_id
    )
    remapped = await repo.sportsbooks.resolve_sportsbook(
        source=DataSource.ACTION_NETWORK, external_id="1548"
    )
    assert remapped is not None
    assert remapped.key == "novig"
    unknown = await repo.sportsbooks.resolve_sportsbook(source=DataSource.SBR, external_id="1548")
    assert unknown is None
    books = await repo.sportsbooks.list_sportsbooks()
    assert [b.key for b in books][:3] == ["pinnacle", "circa", "draftkings"]
    assert len(books) == 26  # 10 + the SBR archive + 14 Odds API books, and novig


async def test_teams_resolve_from_canonical_codes_and_aliases(repo: UnifiedRepository) -> None:
    teams = await repo.teams.list_teams()
    assert len(teams) == 30
    for code, team_id in [("AZ", 109), ("ARI", 109), ("oak", 133), ("WAS", 120), ("SFG", 137)]:
        team = await repo.teams.resolve_team_code(code=code)
        assert team is not None
        assert team.team_id == team_id
    assert await repo.teams.resolve_team_code(code="XYZ") is None
    yankees = await repo.teams.get_team(team_id=147)
    assert yankees is not None
    assert (yankees.abbreviation, yankees.league, yankees.division) == ("NYY", "AL", "East")
