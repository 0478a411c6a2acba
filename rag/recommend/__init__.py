"""Product, procedure and video recommendations with a traceable reason for each item (issue 6).

``Recommender(knowledge_dir).recommend(analysis, answers, language)`` -> ``Recommendations``.
"""

from rag.recommend.catalog import CatalogError
from rag.recommend.engine import Recommender
from rag.recommend.models import Basis, Excluded, Item, Recommendations
from rag.recommend.profile import ProfileError

__all__ = ["Basis", "CatalogError", "Excluded", "Item", "ProfileError", "Recommendations", "Recommender"]
