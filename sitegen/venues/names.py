"""The venues sitegen knows by name: a short name the site shows ("NeurIPS"), the slug of its
follow page (venues/neurips/), the acronyms comments write ("NeurIPS", "NIPS") and the long
names the venue and Semantic Scholar use ("Neural Information Processing Systems").

Small on purpose: the major venues of the fields arXiv's busiest categories cover, and the
software-testing ones the shipped content cites. A venue not listed here is never read from a
comment (free text would make a page for every typo), but Semantic Scholar's venue names are
normalised by Semantic Scholar, so those get their own follow under the name it gives (see
sitegen.site.follows). Add a venue with one line below; tests/test_venues.py checks the table.

Long names are compared by their significant words: case, punctuation, numbers and the words
in STOP aside, so "IEEE/CVF Conference on Computer Vision and Pattern Recognition" and
"Proceedings of the Conference on Computer Vision and Pattern Recognition" are one name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sitegen.venues.tokens import words

# Words that do not tell venues apart: function words, publishers and their special-interest
# groups, "annual", "international", ordinal suffixes ("18th" is read as 18, "th").
STOP = frozenset({
    "a", "an", "and", "at", "for", "in", "of", "on", "the", "to", "annual", "international", "proceedings",
    "ieee", "acm", "cvf", "rsj", "siam", "sigsoft", "sigplan", "sigact", "sigsac", "st", "nd", "rd", "th",
})


@dataclass(frozen=True)
class KnownVenue:
    short: str  # how the site names it: "NeurIPS"
    slug: str  # its follow page: venues/<slug>/ (letters, digits, hyphens)
    acronyms: tuple[str, ...]  # as comments write it, matched case-sensitively (see `forms`)
    names: tuple[str, ...]  # its long names
    keys: tuple[tuple[str, ...], ...] = field(default=(), compare=False)  # the names' significant words


def significant(text: str) -> tuple[str, ...]:
    """The words of a name that tell venues apart, lower-cased: letters only, STOP left out."""
    return tuple(w for w in (t.lower() for t in words(text)) if w not in STOP)


def _venue(short: str, names: Iterable[str], acronyms: Iterable[str] = (), slug: str = "") -> KnownVenue:
    names = tuple(names)
    return KnownVenue(short, slug or short.lower(), tuple(acronyms) or (short,), names,
                      tuple(significant(n) for n in names))


VENUES: tuple[KnownVenue, ...] = (
    # Machine learning
    _venue("NeurIPS", ["Neural Information Processing Systems",
                       "Advances in Neural Information Processing Systems"], ["NeurIPS", "NIPS"]),
    _venue("ICML", ["International Conference on Machine Learning"]),
    _venue("ICLR", ["International Conference on Learning Representations"]),
    _venue("AISTATS", ["International Conference on Artificial Intelligence and Statistics"]),
    _venue("UAI", ["Conference on Uncertainty in Artificial Intelligence", "Uncertainty in Artificial Intelligence"]),
    _venue("COLT", ["Conference on Learning Theory", "Annual Conference Computational Learning Theory",
                    "Conference on Computational Learning Theory"]),
    _venue("COLM", ["Conference on Language Modeling"]),
    _venue("TMLR", ["Transactions on Machine Learning Research"]),
    _venue("JMLR", ["Journal of Machine Learning Research"]),
    _venue("AAAI", ["AAAI Conference on Artificial Intelligence"]),
    _venue("IJCAI", ["International Joint Conference on Artificial Intelligence"]),
    # Vision, speech, robotics
    _venue("CVPR", ["Computer Vision and Pattern Recognition",
                    "Conference on Computer Vision and Pattern Recognition"]),
    _venue("ICCV", ["International Conference on Computer Vision"]),
    _venue("ECCV", ["European Conference on Computer Vision"]),
    _venue("TPAMI", ["IEEE Transactions on Pattern Analysis and Machine Intelligence"], ["TPAMI", "T-PAMI"]),
    _venue("MICCAI", ["Medical Image Computing and Computer-Assisted Intervention",
                      "Medical Image Computing and Computer Assisted Intervention"]),
    _venue("ICASSP", ["International Conference on Acoustics, Speech and Signal Processing",
                      "International Conference on Acoustics, Speech, and Signal Processing"]),
    _venue("Interspeech", ["Interspeech", "Conference of the International Speech Communication Association"],
           ["Interspeech", "INTERSPEECH"]),
    _venue("ICRA", ["IEEE International Conference on Robotics and Automation"]),
    _venue("IROS", ["IEEE/RSJ International Conference on Intelligent Robots and Systems"]),
    _venue("CoRL", ["Conference on Robot Learning"]),
    # Language
    _venue("ACL", ["Annual Meeting of the Association for Computational Linguistics",
                   "Meeting of the Association for Computational Linguistics"]),
    _venue("EMNLP", ["Conference on Empirical Methods in Natural Language Processing",
                     "Empirical Methods in Natural Language Processing"]),
    _venue("NAACL", ["North American Chapter of the Association for Computational Linguistics"]),
    _venue("EACL", ["European Chapter of the Association for Computational Linguistics"]),
    _venue("COLING", ["International Conference on Computational Linguistics"]),
    _venue("TACL", ["Transactions of the Association for Computational Linguistics"]),
    # Data, retrieval, the web, people
    _venue("KDD", ["Knowledge Discovery and Data Mining", "Conference on Knowledge Discovery and Data Mining"],
           ["KDD", "SIGKDD"]),
    _venue("SIGIR", ["Conference on Research and Development in Information Retrieval",
                     "Research and Development in Information Retrieval"]),
    _venue("WWW", ["The Web Conference", "World Wide Web Conference"], ["WWW", "TheWebConf"]),
    _venue("SIGMOD", ["International Conference on Management of Data"]),
    _venue("VLDB", ["Very Large Data Bases", "Proceedings of the VLDB Endowment"], ["VLDB", "PVLDB"]),
    _venue("ICDE", ["IEEE International Conference on Data Engineering"]),
    _venue("CHI", ["Conference on Human Factors in Computing Systems", "Human Factors in Computing Systems"]),
    # Software engineering and programming languages
    _venue("ICSE", ["International Conference on Software Engineering"]),
    _venue("FSE", ["Foundations of Software Engineering", "ESEC/SIGSOFT FSE",
                   "Joint European Software Engineering Conference and Symposium on the Foundations of "
                   "Software Engineering"], ["FSE", "ESEC/FSE"]),
    _venue("ISSTA", ["International Symposium on Software Testing and Analysis"]),
    _venue("ICST", ["International Conference on Software Testing, Verification and Validation",
                    "Conference on Software Testing, Verification and Validation"]),
    _venue("ASE", ["International Conference on Automated Software Engineering"]),
    _venue("PLDI", ["Programming Language Design and Implementation",
                    "Conference on Programming Language Design and Implementation"]),
    _venue("POPL", ["Principles of Programming Languages", "Symposium on Principles of Programming Languages"]),
    _venue("OOPSLA", ["Object-Oriented Programming, Systems, Languages, and Applications",
                      "Conference on Object-Oriented Programming Systems, Languages, and Applications"]),
    # Security
    _venue("USENIX Security", ["USENIX Security Symposium"], ["USENIX Security"], slug="usenix-security"),
    _venue("CCS", ["Conference on Computer and Communications Security"]),
    _venue("S&P", ["IEEE Symposium on Security and Privacy"], ["S&P", "IEEE S&P"], slug="ieee-sp"),
    _venue("NDSS", ["Network and Distributed System Security Symposium"]),
    # Theory
    _venue("STOC", ["Symposium on Theory of Computing", "Symposium on the Theory of Computing"]),
    _venue("FOCS", ["Symposium on Foundations of Computer Science"]),
    _venue("SODA", ["Symposium on Discrete Algorithms"]),
    _venue("ICALP", ["International Colloquium on Automata, Languages and Programming",
                     "International Colloquium on Automata, Languages, and Programming"]),
    # Systems
    _venue("OSDI", ["Symposium on Operating Systems Design and Implementation"]),
    _venue("SOSP", ["Symposium on Operating Systems Principles"]),
    _venue("NSDI", ["Symposium on Networked Systems Design and Implementation"]),
)

BY_SHORT = {v.short: v for v in VENUES}
