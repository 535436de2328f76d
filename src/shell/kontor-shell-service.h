/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-shell-service.h: the io.github.kontor.Shell1 D-Bus interface. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _KontorApplication KontorApplication;

#define KONTOR_TYPE_SHELL_SERVICE (kontor_shell_service_get_type ())

G_DECLARE_FINAL_TYPE (KontorShellService, kontor_shell_service, KONTOR, SHELL_SERVICE, GObject)

KontorShellService *kontor_shell_service_new (KontorApplication *application);
gboolean kontor_shell_service_export (KontorShellService *self,
                                      GDBusConnection *connection,
                                      const char *object_path,
                                      GError **error);
void kontor_shell_service_unexport (KontorShellService *self);
void kontor_shell_service_set_active_plugin (KontorShellService *self, const char *plugin_id);

G_END_DECLS
