"""Pipeline stage for language identification, per sentence and per article."""

from __future__ import annotations

from detente.doc import Doc
from detente.lang import Languages, default_languages
from detente.nlp.langid import detect_document


class LanguageTagger:
    """Pipeline stage: sets ``doc.lang`` and every sentence's ``lang``.

    An article's declared language (JSONL ``lang``) is kept as the default for short sentences.
    """

    name = "langid"
    requires = ("sents",)
    assigns = ("lang", "sents.lang")

    def __init__(self, force: str | None = None, languages: Languages | None = None) -> None:
        self.languages = languages if languages is not None else default_languages()
        if force is not None:
            self.languages.get(force)  # LanguageError names the registered codes
        self.force = force

    def __call__(self, doc: Doc) -> Doc:
        """Detect the languages of ``doc``."""
        if self.force:
            doc.lang = self.force
            for s in doc.sents:
                s.lang = self.force
            return doc
        texts = [doc.text[s.start : s.end] for s in doc.sents]
        main, per = detect_document(texts, default=doc.lang or "ru")
        doc.lang = main
        for s, lang in zip(doc.sents, per, strict=True):
            s.lang = lang
        return doc
