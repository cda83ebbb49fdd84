"""The bundled demo study: synthetic multilingual cases, fictional model outputs and
images. See :mod:`medeval_ui.demo.files`."""

from medeval_ui.demo.files import DemoFiles, write_demo_files

__all__ = ["DemoFiles", "write_demo_files"]
