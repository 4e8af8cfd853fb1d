# Step: the build runs and knows its libraries.
"$VIGIL" version | tr '\n' ' ' | sed 's/ $/\n/'
