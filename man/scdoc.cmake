# cmake -DSCDOC=scdoc -DIN=page.scd -DOUT=page.N -P scdoc.cmake: scdoc
# reads stdin and writes stdout; this spares the build a shell.
execute_process(COMMAND "${SCDOC}" INPUT_FILE "${IN}" OUTPUT_FILE "${OUT}"
  ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(REMOVE "${OUT}")
  message(FATAL_ERROR "scdoc ${IN}: ${err}")
endif()
