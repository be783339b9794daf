"""Question import and export: Moodle XML, GIFT, the XLSX template and the bank YAML. See docs/question-import.md.

Parsers turn a file into ParsedQuestion objects (with any problem found while parsing); the service
assessments.services.questions_import validates them all and writes nothing when one is bad (unless told to skip).
"""

from assessments.importing.base import ImportFormatError, ParsedOption, ParsedQuestion, parse_file

__all__ = ["ImportFormatError", "ParsedOption", "ParsedQuestion", "parse_file"]
