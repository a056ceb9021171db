"""Bringing a team's canned replies in from the tools they already use, and handing packs back.

``import_replies(FORMAT, FILES, INTO)`` reads a Zendesk macros export, a helpdesk CSV, Chatwoot
canned responses or an espanso match file into a pack; ``export_pack(FORMAT, PACK)`` gives a pack
in force as espanso matches, CSV, Zendesk macros, Chatwoot canned responses or JSON.
"""

from .exporter import EXPORT_FORMATS, export_pack, write_export
from .importer import FORMATS, ImportResult, import_replies

__all__ = ["EXPORT_FORMATS", "FORMATS", "ImportResult", "export_pack", "import_replies", "write_export"]
