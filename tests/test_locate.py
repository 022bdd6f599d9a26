"""Choosing the root line among scored candidates: the best score, unless a clearly more
specific cause signature stands close by and scores nearly as well."""

from __future__ import annotations

from ciwhy.analysis import analyse, locate
from ciwhy.analysis.library_index import SignatureHit, default_library
from ciwhy.analysis.locate import Candidate


def _hit(sig_id: str, **captures: str) -> SignatureHit:
    sig = next(s for s in default_library().signatures if s.id == sig_id)
    return SignatureHit(sig, captures, (0, 0))


def _cand(index: int, score: float, sig: SignatureHit | None = None, *features: str) -> Candidate:
    return Candidate(index, score, frozenset(features), sig)


def test_the_best_score_wins_without_a_more_specific_signature_beside_it() -> None:
    best = _cand(20, 3.0, None, "error_colon")
    assert locate.choose([_cand(10, 1.0), best, _cand(22, 2.9)]) is best
    assert locate.choose([]) is None


def test_a_specific_signature_close_by_outranks_the_wrapper_that_reports_it() -> None:
    wrapper = _cand(20, 3.1, None, "error_colon")  # ERROR: Error cloning remote repo 'origin'
    key = _cand(23, 2.2, _hit("git.ssh.publickey_denied"))  # Permission denied (publickey).
    assert locate.choose([wrapper, key]) is key
    # ... and a lower-priority signature is outranked by a clearly higher one
    smudge = _cand(34, 2.7, _hit("git.lfs.smudge_failed"), "error_colon")
    missing = _cand(30, 2.2, _hit("git.lfs.object_missing"))
    assert locate.choose([missing, smudge]) is missing


def test_what_does_not_outrank() -> None:
    best = _cand(20, 3.0, None, "error_colon")
    far = _cand(40, 2.9, _hit("git.ssh.publickey_denied"))  # too far from the best line
    weak = _cand(21, 2.9, _hit("git.ssh.publickey_denied"))
    low = _cand(21, 0.5, _hit("git.ssh.publickey_denied"))  # scored far below
    generic = _cand(21, 2.9, _hit("rust.rustc.diagnostic_location"))  # below the default
    header = _cand(21, 2.9, _hit("go.test.failed", test="TestX"))  # a test's header
    data = _cand(21, 2.9, _hit("cred.http.unauthorized"), "pytest_e")  # a test's own data
    assert locate.choose([best, far]) is best
    assert locate.choose([best, weak]) is weak
    for rival in (low, generic, header, data):
        assert locate.choose([best, rival]) is best, rival.signature.signature.id  # type: ignore[union-attr]
    same = _cand(25, 2.9, _hit("git.lfs.smudge_failed"))
    near_same = _cand(22, 2.8, _hit("git.lfs.smudge_failed"))  # not clearly more specific
    assert locate.choose([same, near_same]) is same


JENKINS_CLONE = """\
Cloning repository git@github.com:acme/firmware.git
 > git fetch --tags --force --progress -- git@github.com:acme/firmware.git # timeout=10
ERROR: Error cloning remote repo 'origin'
hudson.plugins.git.GitException: Command "git fetch --tags" returned status code 128:
stdout:
stderr: git@github.com: Permission denied (publickey).
fatal: Could not read from remote repository.

Please make sure you have the correct access rights
and the repository exists.

\tat org.jenkinsci.plugins.gitclient.CliGitAPIImpl.launchCommandIn(CliGitAPIImpl.java:2842)
\tat hudson.plugins.git.GitSCM.checkout(GitSCM.java:1310)
[Pipeline] }
[Pipeline] // stage
Stage "Build" skipped due to earlier failure(s)
Finished: FAILURE
"""


def test_the_key_rejection_is_the_root_not_the_clone_wrapper() -> None:
    a = analyse(JENKINS_CLONE.encode())
    assert a.root_cause_line == 6, a.root_cause
    assert a.category == "credentials"
    assert a.signature == "git.ssh.publickey_denied"
