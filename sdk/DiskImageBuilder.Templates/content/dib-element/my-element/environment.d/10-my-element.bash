# Sourced before every script of every element in the build: defaults for this element's variables.
export DIB_MY_ELEMENT_GREETING=${DIB_MY_ELEMENT_GREETING:-hello}
