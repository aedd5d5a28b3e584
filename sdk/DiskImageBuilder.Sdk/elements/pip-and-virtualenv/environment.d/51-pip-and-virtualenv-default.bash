# pip and virtualenv come from the distribution's packages here; a source install (get-pip.py and pip
# from the Python package index) is refused in pre-install.d.
export DIB_INSTALLTYPE_pip_and_virtualenv=${DIB_INSTALLTYPE_pip_and_virtualenv:-package}
# How elements should call them: with the interpreter named, so the caller knows which Python it affects.
export DIB_PYTHON_PIP="/usr/bin/python3 -m pip"
export DIB_PYTHON_VIRTUALENV="/usr/bin/python3 -m venv"
