"""What an evidence file really is, judged by its first bytes rather than by its name.

Dossiers are scans, reports and office documents; anything else (HTML, SVG, scripts,
executables) is refused, however it is named.
"""

import zipfile

# (magic bytes, type) for the formats a dossier may contain.
_SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
]

# Zip containers are accepted only when they are office documents.
_OFFICE_MARKERS = {
    "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/presentation.xml": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    ),
}
_ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text",
    b"application/vnd.oasis.opendocument.spreadsheet",
}

ALLOWED_DESCRIPTION = "PDF, PNG, JPEG, DOCX, XLSX, PPTX, ODT, ODS"


def sniff(upload) -> str | None:
    """The content type of `upload` if it is an allowed kind of document, else None."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, content_type in _SIGNATURES:
        if head.startswith(magic):
            return content_type
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
                for marker, content_type in _OFFICE_MARKERS.items():
                    if marker in names:
                        return content_type
                if "mimetype" in names and archive.read("mimetype").strip() in _ODF_TYPES:
                    return archive.read("mimetype").decode().strip()
        except (zipfile.BadZipFile, OSError, KeyError):
            return None
        finally:
            upload.seek(0)
    return None
