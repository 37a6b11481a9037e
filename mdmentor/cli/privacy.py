"""Commands for confidentiality: keys, encrypt, resolve, retention, export."""

from __future__ import annotations

from datetime import date as Date
from pathlib import Path
from typing import Any

import click

from mdmentor.cli.base import (
    ISO_DATE,
    cli,
    journal_of,
    person_option,
    plural,
    record_of,
    sealer_of,
    whoami,
)


@cli.command()
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.pass_context
def encrypt(ctx: click.Context, paths: tuple[Path, ...]) -> None:
    """Encrypt plaintext records that the agreement lets only some people read.

    Each PATH becomes PATH.age, encrypted to exactly its readers' keys, and the
    plaintext file is removed. Records everyone may read are left as they are.
    """
    from mdmentor.cli.reporters import display_path
    from mdmentor.records.journal import load_records, record_text

    journal = journal_of(ctx)
    records, _ = load_records(journal)
    sealer = sealer_of(journal, records)
    by_path = {r.path.resolve(): r for r in records}
    for path in paths:
        record = by_path.get(path.resolve())
        if record is None or record.encrypted:
            click.echo(f"skipped {display_path(path)}: not a readable plaintext record", err=True)
            continue
        text = record_text(journal, record)
        written = sealer.store(record.type.name, record.path, text, overwrite=True)
        if written == record.path:
            click.echo(f"left {display_path(path)}: everyone in mdmentor.yaml may read it")
        else:
            click.echo(f"encrypted {display_path(written)}")


@cli.command()
@click.argument("record_id", metavar="ID")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def decrypt(ctx: click.Context, record_id: str, yes: bool) -> None:
    """Turn the encrypted record ID back into plain text, where everyone may read it.

    mdmentor never does this on its own: a record once encrypted stays encrypted, even
    when the terms you accepted later let everyone read it, until you say so here.
    """
    from mdmentor.errors import UsageError
    from mdmentor.records.journal import record_text

    journal, records, record = record_of(ctx, record_id)
    if not record.encrypted or record.sealed:
        raise UsageError(f"{record_id} is not an encrypted record you can read")
    sealer = sealer_of(journal, records)
    text = record_text(journal, record)
    if sealer.must_encrypt(record.type.name, text):
        names = ", ".join(p.id for p in sealer.readers(record.type.name, text)) or "nobody"
        raise UsageError(f"{record_id} stays encrypted: only {names} may read it")
    if not yes:
        click.confirm(
            f"Anyone who has the journal's files will be able to read {record_id}. "
            "Make it plain text?",
            abort=True,
        )
    written = sealer.store(record.type.name, record.path, text, overwrite=True, to_plaintext=True)
    click.echo(f"{record_id} is plain text now: {journal.relative(written)}")


@cli.command()
@click.argument("record_id", metavar="ID")
@click.pass_context
def resolve(ctx: click.Context, record_id: str) -> None:
    """Merge an encrypted record that was edited on both sides.

    sync keeps the other side beside it (NAME.md.age.theirs); this decrypts both,
    merges them field by field, encrypts the result and removes the copy. Fields
    changed differently on both sides are left in a 'conflicts:' entry: finish
    with 'mdmentor edit ID', then sync.
    """
    from mdmentor.privacy.sealing import resolve as resolve_sealed

    journal, records, record = record_of(ctx, record_id)
    result = resolve_sealed(sealer_of(journal, records), record)
    if result.clean:
        click.echo(f"merged {record_id}: no conflicts left; run 'mdmentor sync'")
    else:
        where = ", ".join(result.conflicts) or "the notes"
        click.echo(
            f"merged {record_id} with conflicts in {where}: run 'mdmentor edit "
            f"{record_id}' to choose, then sync",
            err=True,
        )
        ctx.exit(1)


@cli.command()
@click.option("--as-of", type=ISO_DATE, help="Judge what is due as on this day, today or earlier.")
@click.option("--dispose", is_flag=True, help="Remove the records that are due, and commit.")
@click.option(
    "--rewrite-history",
    is_flag=True,
    help="With --dispose: also remove them from every commit (git-filter-repo).",
)
@click.option("--yes", is_flag=True, help="Do not ask before disposing of anything.")
@click.pass_context
def retention(
    ctx: click.Context, as_of: Date | None, dispose: bool, rewrite_history: bool, yes: bool
) -> None:
    """List the records due for disposal under the retention terms you accepted.

    With --dispose, list what will be removed and which keys destroyed, ask, then
    remove them and commit (the message names no one). With --rewrite-history as
    well, remove them from this repository's whole history, then say exactly what
    that cannot reach: other clones, the server's copy until a forced push,
    backups, exported reports. Only terms accepted on this machine ('mdmentor
    accept') count: terms someone else pushed change nothing until you accept them.
    """
    from mdmentor.errors import UsageError
    from mdmentor.privacy.policy import load_access, require_accepted
    from mdmentor.privacy.retention import dispose as run_dispose
    from mdmentor.privacy.retention import own_keys, schedule
    from mdmentor.records.journal import load_records

    if rewrite_history and not dispose:
        raise UsageError("--rewrite-history goes with --dispose")
    if dispose and as_of is not None and as_of > Date.today():
        raise UsageError(
            f"--as-of {as_of.isoformat()} is in the future; records are disposed of only "
            "once they are due"
        )
    journal = journal_of(ctx)
    records, _ = load_records(journal)
    access = load_access(journal.root, journal.config, records)
    terms = require_accepted(access)
    plan = schedule(terms, records, (as_of or Date.today()).isoformat())
    for title, group in (("Due for disposal", plan.due), ("Due later", plan.later)):
        click.echo(f"{title}: {len(group)}")
        for item in group:
            click.echo(
                f"  {item.due}  {item.record.id}  {journal.relative(item.record.path)} "
                f"({item.basis})"
            )
    if plan.waiting:
        click.echo(
            f"Kept until the relationship ends, then for the agreed period: {len(plan.waiting)}"
        )
    if plan.unassessed:
        click.echo(
            f"{plural(plan.unassessed, 'record')} with errors and no readable date: not "
            "assessed; run 'mdmentor check'"
        )
    if plan.unread:
        click.echo(f"{plural(plan.unread, 'encrypted record')} you hold no key for: not assessed")
    click.echo(f"Agreed disposal: {plan.disposal_method}")
    if access.pending:
        click.echo(
            "Newer terms wait for your acceptance ('mdmentor accept'); until then these apply."
        )
    if not dispose:
        return
    if not plan.due and not rewrite_history:
        click.echo("Nothing is due: nothing disposed of.")
        return
    if plan.due:
        keys = own_keys(journal, plan.due)
        click.echo(f"\nTo remove: {plural(len(plan.due), 'record')}.")
        if keys:
            click.echo(
                f"To destroy: the keys of {plural(keys, 'encrypted record')} that only their "
                "author can read. This cannot be undone: every copy of them, anywhere, "
                "becomes unreadable."
            )
    if rewrite_history:
        click.echo(
            "History: every commit of this repository is rewritten without "
            + ("them and " if plan.due else "")
            + "anything disposed of before; other clones will have to clone afresh."
        )
    if not yes:
        click.confirm("Dispose of them now?" if plan.due else "Rewrite history now?", abort=True)
    report = run_dispose(
        journal,
        plan.due,
        rewrite_history=rewrite_history,
        today=Date.today().isoformat(),
        method=plan.disposal_method,
        by=whoami(journal, None),
    )
    if report.removed:
        click.echo(
            f"Removed {plural(len(report.removed), 'record')} and committed, with the "
            f"disposal record {report.record} (their ids, never their content)."
        )
    if report.shredded:
        click.echo(
            f"Destroyed the keys of {plural(report.shredded, 'encrypted record')} that only "
            "their author could read: every copy of them, anywhere, is now unreadable."
        )
    if report.rewritten:
        click.echo(
            f"Removed {plural(len(report.purged), 'path')} from every commit of this "
            "repository, with mdmentor's own saved states and git's reflogs: no disposed "
            "record is left in it."
        )
    elif rewrite_history:
        click.echo("This repository's history holds nothing that was disposed of.")
    click.echo("Not reached by this, so still holding them:")
    for place in report.not_reached:
        click.echo(f"  - {place}")


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--anonymise",
    is_flag=True,
    help="Portfolio evidence: names, emails and identifiers replaced by role labels.",
)
@click.option(
    "--record",
    "ids",
    multiple=True,
    help="With --anonymise: a record to export (repeat; default: the agreement, "
    "needs assessments and reviews).",
)
@click.option("--shift-days", type=int, default=0, help="With --anonymise: move every date.")
@click.option(
    "--person", "person_id", help="Everything held about this person (a subject access request)."
)
@click.pass_context
def export(
    ctx: click.Context,
    directory: Path,
    anonymise: bool,
    ids: tuple[str, ...],
    shift_days: int,
    person_id: str | None,
) -> None:
    """Export records into DIRECTORY, a new folder outside the journal.

    --anonymise writes portfolio evidence in which every person in mdmentor.yaml
    is a role label (Mentor, Mentee, Supervisor) in the front matter and the
    notes, and settings.identifiers are replaced too. --person ID writes every
    record that names that person, decrypted where you may read them, with an
    index.
    """
    from mdmentor.cli.reporters import display_path
    from mdmentor.errors import UsageError
    from mdmentor.privacy.export import export_anonymised, export_person
    from mdmentor.records.journal import load_records

    if anonymise == bool(person_id):
        raise UsageError("choose one: --anonymise or --person ID")
    journal = journal_of(ctx)
    records, problems = load_records(journal)
    if anonymise:
        result = export_anonymised(
            journal, records, directory, ids=list(ids), shift_days=shift_days
        )
    else:
        result = export_person(journal, records, directory, str(person_id), problems)
    click.echo(f"wrote {len(result.written)} files to {display_path(directory.resolve())}")
    if result.unreadable:
        click.echo(
            f"{plural(len(result.unreadable), 'encrypted record')} you hold no key for "
            "left out; the index says who can export them",
            err=True,
        )


@cli.command()
@click.option("--yes", is_flag=True, help="Do not ask; accept the terms shown.")
@click.pass_context
def accept(ctx: click.Context, yes: bool) -> None:
    """Read and accept the agreement's terms: who reads which record, how long records
    are kept.

    The agreement is a file anyone who shares the journal can change, so mdmentor
    applies its terms on this machine only once you accept them. Only an agreement
    agreed by everyone it names counts. This shows what accepting changes from the
    terms you accepted before; until you accept, those stand (and anything newer that
    lets fewer people read a record applies at once).
    """
    from mdmentor.privacy.policy import accept as accept_policy
    from mdmentor.privacy.policy import differences, load_access, why_nothing_proposed
    from mdmentor.records.journal import load_records

    journal = journal_of(ctx)
    records, _ = load_records(journal)
    access = load_access(journal.root, journal.config, records)
    if access.proposed is None:
        click.echo(f"nothing to accept: {why_nothing_proposed(records)}")
        ctx.exit(1)
    if not access.pending:
        click.echo(f"nothing to accept: you accepted the terms of {access.proposed.agreement}")
        return
    click.echo("Accepting these terms changes:")
    for line in differences(access.accepted, access.proposed):
        click.echo(f"  - {line}")
    if not yes:
        click.confirm("Accept them?", abort=True)
    accept_policy(journal.root, access.proposed)
    message = f"accepted the terms of {access.proposed.agreement}"
    if any(record.encrypted or record.sealed for record in records):
        message += (
            "; records are encrypted to the readers they give from now on (run "
            "'mdmentor rekey' for those written before)"
        )
    click.echo(message)


def key_owner(journal: Any, person_id: str | None, usage: str) -> Any:
    """Whose key this is: the person named, else the person using this clone."""
    from mdmentor.errors import UsageError

    person = whoami(journal, person_id)
    if person is None:
        raise UsageError(f"say whose key it is: {usage}")
    return person


@cli.group()
def keys() -> None:
    """Your encryption key: records only some people may read are encrypted to theirs."""


@keys.command("init")
@person_option(
    "--as", "person_id", help="Your person id in mdmentor.yaml (or set MDMENTOR_PERSON)."
)
@click.pass_context
def keys_init(ctx: click.Context, person_id: str | None) -> None:
    """Create your identity (private key) in your user config folder, mode 0600, never in
    the journal, and list its public key under your entry in mdmentor.yaml.

    Set MDMENTOR_IDENTITY to keep the identity elsewhere (or to use an SSH key).
    """
    from mdmentor.privacy import crypto
    from mdmentor.privacy.trust import list_own_key

    journal = journal_of(ctx)
    person = key_owner(journal, person_id, "mdmentor keys init --as PERSON")
    public = crypto.public_key() or crypto.create_identity()
    click.echo(f"your identity: {crypto.identity_path()} (keep it private; back it up safely)")
    click.echo(f"your public key: {public}")
    if list_own_key(journal.root, person.id, public):
        click.echo(f"listed it under {person.id} in mdmentor.yaml; run 'mdmentor sync' to share it")
    else:
        click.echo(f"{person.id} in mdmentor.yaml already lists it")


@keys.command("accept")
@click.argument("person_id", metavar="PERSON")
@click.option("--yes", is_flag=True, help="Do not ask; accept the keys now listed.")
@click.pass_context
def keys_accept(ctx: click.Context, person_id: str, yes: bool) -> None:
    """Trust the keys now listed for PERSON in mdmentor.yaml.

    Anyone who shares the journal can change mdmentor.yaml, so mdmentor encrypts to a
    person only with keys you accepted. Before you accept, compare the fingerprints
    shown here with the ones PERSON sees with 'mdmentor keys show' (in person or by
    phone, not through the journal).
    """
    from mdmentor.privacy.trust import accept_keys, fingerprint, load_keyring

    journal = journal_of(ctx)
    change = load_keyring(journal.root, journal.config).change_of(person_id)
    if change is None:
        click.echo(f"nothing to accept: {person_id}'s keys are the ones you accepted before")
        return
    for key in change.added:
        click.echo(f"new key for {person_id}: {fingerprint(key)}  ({key})")
    for key in change.removed:
        click.echo(f"no longer listed for {person_id}: {fingerprint(key)}")
    if not yes:
        click.confirm(
            f"Have you checked these fingerprints with {person_id}, and do you accept them?",
            abort=True,
        )
    keys = accept_keys(journal.root, journal.config, person_id)
    click.echo(f"accepted {plural(len(keys), 'key')} for {person_id}")


@keys.command("add")
@click.argument("key")
@person_option("--as", "person_id", help="Whose key it is (default: you).")
@click.pass_context
def keys_add(ctx: click.Context, key: str, person_id: str | None) -> None:
    """List another public KEY for a person: their key on a new device (from 'mdmentor keys
    show' there), or an SSH public key. You trust it, since you add it yourself; others
    accept it with 'mdmentor keys accept'. Then run 'mdmentor rekey'."""
    from mdmentor.privacy import crypto
    from mdmentor.privacy.trust import fingerprint, list_own_key

    journal = journal_of(ctx)
    person = key_owner(journal, person_id, "mdmentor keys add KEY --as PERSON")
    crypto.recipient(key)  # refuses what is not a usable public key
    if list_own_key(journal.root, person.id, key):
        click.echo(f"listed {fingerprint(key)} under {person.id} in mdmentor.yaml")
    else:
        click.echo(f"{person.id} in mdmentor.yaml already lists {fingerprint(key)}")
    click.echo(
        "run 'mdmentor rekey' so the records you can read open with it too, then 'mdmentor sync'"
    )


@keys.command("remove")
@click.argument("key")
@person_option("--as", "person_id", help="Whose key it is (default: you).")
@click.pass_context
def keys_remove(ctx: click.Context, key: str, person_id: str | None) -> None:
    """Retire a lost or replaced KEY (the key itself, or its fingerprint from 'mdmentor keys
    list'). Records encrypted from now on, and every record you rekey, no longer open with
    it. The versions already in git history, on the server and in other clones still do:
    retiring a key cannot undo what it could read before."""
    from mdmentor.errors import UsageError
    from mdmentor.privacy.trust import fingerprint, forget_key
    from mdmentor.records.journal import open_journal, remove_person_key

    journal = journal_of(ctx)
    person = key_owner(journal, person_id, "mdmentor keys remove KEY --as PERSON")
    found = [k for k in person.keys if key in (k, fingerprint(k), fingerprint(k).replace(" ", ""))]
    if not found:
        listed = ", ".join(fingerprint(k) for k in person.keys) or "none"
        raise UsageError(f"{person.id} has no key {key} in mdmentor.yaml; listed: {listed}")
    remove_person_key(journal.root, person.id, found[0])
    updated = open_journal(journal.root)
    forget_key(updated.root, updated.config, person.id, found[0])
    click.echo(f"retired {fingerprint(found[0])} of {person.id}")
    click.echo(
        "run 'mdmentor rekey' so the records you can read no longer open with it, then "
        "'mdmentor sync'; copies in git history stay readable with the retired key"
    )


@keys.command("list")
@click.pass_context
def keys_list(ctx: click.Context) -> None:
    """Everyone's keys with their fingerprints, and whether you accepted them."""
    from mdmentor.privacy.trust import fingerprint, load_keyring

    journal = journal_of(ctx)
    keyring = load_keyring(journal.root, journal.config)
    for person in journal.config.people:
        accepted = set(keyring.accepted.get(person.id, []))
        for key in person.keys:
            mark = (
                "accepted" if key in accepted else "NOT accepted: mdmentor keys accept " + person.id
            )
            click.echo(f"{person.id:12} {fingerprint(key)}  {mark}")
        if not person.keys:
            click.echo(f"{person.id:12} no key yet")


@cli.command()
@click.pass_context
def rekey(ctx: click.Context) -> None:
    """Encrypt every record you can read to exactly its readers' keys now.

    After someone adds a key for a new device or retires a lost one, the records written
    before are still encrypted to the old keys ('mdmentor check' lists them). This
    encrypts them again; then run 'mdmentor sync'. Copies in git history stay as they were.
    """
    from mdmentor.privacy.rekey import rekey as run_rekey
    from mdmentor.records.journal import load_records

    journal = journal_of(ctx)
    records, _ = load_records(journal)
    result = run_rekey(sealer_of(journal, records), records)
    for record in result.rewritten:
        click.echo(f"encrypted again: {record.id or journal.relative(record.path)}")
    for record, why in result.skipped:
        click.echo(f"not done: {record.id or journal.relative(record.path)}: {why}", err=True)
    sealed = sum(1 for r in records if r.sealed)
    click.echo(
        f"{plural(len(result.rewritten), 'record')} encrypted again"
        + (f"; {plural(sealed, 'record')} you cannot read left for their readers" if sealed else "")
        + ("; run 'mdmentor sync' to share them" if result.rewritten else "")
    )
    ctx.exit(1 if result.skipped else 0)


@keys.command("show")
def keys_show() -> None:
    """Print your public key."""
    from mdmentor.errors import UsageError
    from mdmentor.privacy import crypto

    public = crypto.public_key()
    if public is None:
        raise UsageError(f"no identity at {crypto.identity_path()}; run 'mdmentor keys init'")
    click.echo(public)
