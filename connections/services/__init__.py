"""W2 use cases: the only code that writes connection requests and moves them through their
stages (submission.py: the form's checks and the registration; phones.py: the one-time SMS code;
stages.py: the branch's steps; documents.py: the technical-conditions PDF)."""
