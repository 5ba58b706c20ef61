"""Flask extensions, created unbound and bound to an app in create_app."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from .models.base import Base

# Objects stay usable after a commit: a view often commits, then renders what it changed.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
login_manager = LoginManager()
csrf = CSRFProtect()
# When Redis is down the limiter falls back to per-process memory and the site keeps serving.
limiter = Limiter(key_func=get_remote_address, in_memory_fallback_enabled=True, headers_enabled=True)
