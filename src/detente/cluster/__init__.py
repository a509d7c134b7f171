"""Stories and reprints: articles about the same happening grouped across languages.

:mod:`~detente.cluster.minhash` finds near-copies (reprints) from word shingles,
:mod:`~detente.cluster.signature` reads what an article is about from its processed record (linked
actors, places and figures, date, shingles, title and lead), and :mod:`~detente.cluster.stories`
assigns each article, in date order, to a story or starts a new one.
"""
