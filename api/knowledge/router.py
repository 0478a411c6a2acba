"""Knowledge upload for admins (re-ingests the clinic's documents)."""

from __future__ import annotations

from fastapi import APIRouter, File, UploadFile

from api.auth.principal import AdminDep
from api.components import ComponentsDep
from api.deps import DbDep, SettingsDep
from api.knowledge import service
from api.knowledge.schemas import UploadOut

router = APIRouter(prefix="/staff/knowledge", tags=["knowledge"])


@router.post("", response_model=UploadOut)
def upload_knowledge(
    principal: AdminDep,
    db: DbDep,
    settings: SettingsDep,
    components: ComponentsDep,
    files: list[UploadFile] = File(...),
) -> dict:
    payload = [(f.filename or "", f.file.read(settings.max_upload_bytes + 1)) for f in files]
    return service.upload(db, settings, components, principal, payload)
