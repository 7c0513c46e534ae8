# Inquiry questions and their queues (issue 3): handlers, SQL, coachctl
# nouns `question` and `queue`, integration test.  The pure engine is
# coach_queue (cmake/area-queue.cmake).
if(TARGET coachd)
  target_sources(coachd PRIVATE daemon/rpc_question.c daemon/rpc_question_view.c
    daemon/rpc_queue.c daemon/store_question.c)
  target_link_libraries(coachd PRIVATE coach_queue)
  # Without [queue] topics in coachd.conf the daemon reads the source
  # tree's topics file (docs/queues.md); packagers set the key.
  target_compile_definitions(coachd PRIVATE
    COACHD_TOPICS_DEFAULT="${CMAKE_SOURCE_DIR}/conf/topics.conf")
endif()
if(TARGET coachctl)
  target_sources(coachctl PRIVATE client/cmd_question.c client/cmd_queue.c)
endif()
if(EXISTS ${CMAKE_SOURCE_DIR}/tests/integration/test_questions.py)
  coach_py_test(questions SCRIPT tests/integration/test_questions.py
    TIMEOUT 600)
endif()
