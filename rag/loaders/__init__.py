"""Readers that turn a file (Markdown, plain text, PDF) into a ``SourceDocument``."""

from rag.loaders.files import SUPPORTED_SUFFIXES, LoaderError, load_document

__all__ = ["SUPPORTED_SUFFIXES", "LoaderError", "load_document"]
