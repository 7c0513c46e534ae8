# Core targets: wire protocol library, coachd, coachctl, coach-solve.
# Feature areas (cmake/area-<name>.cmake, included after this file)
# add their sources to these targets with target_sources().

# --- wire protocol: generated messages + frame codec -----------------------
# One protoc-c run over all files: coachd.proto imports the area files.
file(GLOB PROTO_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/proto/*.proto)
set(PROTO_SRCS)
set(PROTO_HDRS)
foreach(p ${PROTO_FILES})
  get_filename_component(base ${p} NAME_WE)
  list(APPEND PROTO_SRCS ${CMAKE_BINARY_DIR}/proto/${base}.pb-c.c)
  list(APPEND PROTO_HDRS ${CMAKE_BINARY_DIR}/proto/${base}.pb-c.h)
endforeach()
add_custom_command(OUTPUT ${PROTO_SRCS} ${PROTO_HDRS}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/proto
  COMMAND ${PROTOC_C} --proto_path=${CMAKE_SOURCE_DIR}/proto
          --c_out=${CMAKE_BINARY_DIR}/proto ${PROTO_FILES}
  DEPENDS ${PROTO_FILES} VERBATIM)
add_library(coach_proto STATIC ${PROTO_SRCS} proto/frame.c)
target_include_directories(coach_proto PUBLIC ${CMAKE_BINARY_DIR}/proto
                           ${CMAKE_SOURCE_DIR}/proto)
target_link_libraries(coach_proto PUBLIC PkgConfig::PROTOBUFC)
set_source_files_properties(proto/frame.c PROPERTIES COMPILE_OPTIONS
  "${COACHD_WARNINGS}")

# --- executables --------------------------------------------------------------
# Core sources of the daemon; feature areas add theirs from cmake/<area>.cmake.
add_executable(coachd
  daemon/coachd.c daemon/log.c daemon/config.c daemon/store.c
  daemon/store_roster.c daemon/auth.c daemon/listener.c daemon/conn.c
  daemon/rpc.c daemon/rpc_roster.c daemon/tlsctx.c
  daemon/csv.c daemon/roster.c daemon/store_coaching.c daemon/store_token.c
  daemon/store_import.c daemon/store_registry.c daemon/store_backup.c)
coach_target(coachd)
target_link_libraries(coachd PRIVATE coach_proto PkgConfig::EVENT
  PkgConfig::SSL PkgConfig::SQLITE PkgConfig::INIH PkgConfig::ICAL
  PkgConfig::JANSSON PkgConfig::ZLIB m)

add_executable(coachctl client/coachctl.c client/srv.c client/srv_conf.c
  client/out.c client/out_table.c client/cmd_admin.c client/cmd_roster.c)
coach_target(coachctl)
target_link_libraries(coachctl PRIVATE coach_proto PkgConfig::SSL
  PkgConfig::JANSSON m)


