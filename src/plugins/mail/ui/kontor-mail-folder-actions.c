/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-folder-actions.c: the folder list's context menu: new folder, rename,
 * delete (after a confirmation that says what is lost), each done on the server. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "kontor-mail-page-private.h"

typedef struct
{
  KontorMailPage *self;
  char *op;
  char *folder_id;
  char *name;
} FolderJob;

static void
folder_job_free (gpointer data)
{
  FolderJob *job = data;

  g_object_unref (job->self);
  g_free (job->op);
  g_free (job->folder_id);
  g_free (job->name);
  g_free (job);
}

static gpointer
folder_job (KontorMailEngine *engine, gpointer data, GCancellable *cancellable, GError **error)
{
  FolderJob *job = data;

  return kontor_mail_engine_folder_op_sync (engine, job->op, job->folder_id, job->name, cancellable,
                                            error);
}

static void
folder_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KontorMailPage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *id = kontor_mail_engine_run_finish (KONTOR_MAIL_ENGINE (object), result, &error);

  if (id == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    kontor_mail_page_report (self, error);
}

static void
run_folder_job (KontorMailPage *self, const char *op, const char *folder_id, const char *name)
{
  FolderJob *job = g_new0 (FolderJob, 1);

  job->self = g_object_ref (self);
  job->op = g_strdup (op);
  job->folder_id = g_strdup (folder_id);
  job->name = g_strdup (name);
  kontor_mail_engine_run_async (self->engine, folder_job, job, folder_job_free, g_free,
                                self->cancellable, folder_done_cb, g_object_ref (self));
}

static void
name_response_cb (AdwMessageDialog *dialog, const char *response, KontorMailPage *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  const char *op = g_object_get_data (G_OBJECT (dialog), "op");
  const char *folder_id = g_object_get_data (G_OBJECT (dialog), "folder-id");

  if (g_strcmp0 (response, "ok") == 0)
    run_folder_job (self, op, folder_id, gtk_editable_get_text (entry));
}

static void
entry_changed_cb (GtkEditable *entry, AdwMessageDialog *dialog)
{
  const char *text = gtk_editable_get_text (entry);

  adw_message_dialog_set_response_enabled (
    dialog, "ok", text != NULL && *text != '\0' && strchr (text, '/') == NULL);
}

static void
ask_name (KontorMailPage *self,
          const char *op,
          const char *folder_id,
          const char *heading,
          const char *current,
          const char *button)
{
  GtkWidget *dialog =
    adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading, NULL);
  GtkWidget *entry = gtk_entry_new ();

  gtk_editable_set_text (GTK_EDITABLE (entry), current != NULL ? current : "");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"), "ok",
                                    button, NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "ok");
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "ok",
                                              ADW_RESPONSE_SUGGESTED);
  g_object_set_data_full (G_OBJECT (dialog), "op", g_strdup (op), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "folder-id", g_strdup (folder_id), g_free);
  g_signal_connect (entry, "changed", G_CALLBACK (entry_changed_cb), dialog);
  entry_changed_cb (GTK_EDITABLE (entry), ADW_MESSAGE_DIALOG (dialog));
  g_signal_connect_object (dialog, "response", G_CALLBACK (name_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
delete_response_cb (AdwMessageDialog *dialog, const char *response, KontorMailPage *self)
{
  if (g_strcmp0 (response, "delete") == 0)
    run_folder_job (self, "delete", g_object_get_data (G_OBJECT (dialog), "folder-id"), NULL);
}

static KontorMailFolder *
menu_folder (KontorMailPage *self)
{
  return self->menu_folder;
}

static void
new_folder_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  KontorMailPage *self = KONTOR_MAIL_PAGE (widget);
  KontorMailFolder *folder = menu_folder (self);

  if (folder == NULL)
    return;
  ask_name (self, "create", kontor_mail_folder_get_id (folder), _ ("New Folder"), NULL,
            _ ("C_reate"));
}

static void
rename_folder_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  KontorMailPage *self = KONTOR_MAIL_PAGE (widget);
  KontorMailFolder *folder = menu_folder (self);

  if (folder == NULL || kontor_mail_folder_get_kind (folder) != KONTOR_MAIL_FOLDER_KIND_FOLDER)
    return;
  ask_name (self, "rename", kontor_mail_folder_get_id (folder), _ ("Rename Folder"),
            kontor_mail_folder_get_name (folder), _ ("_Rename"));
}

static void
delete_folder_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  KontorMailPage *self = KONTOR_MAIL_PAGE (widget);
  KontorMailFolder *folder = menu_folder (self);
  GtkWidget *dialog;

  if (folder == NULL || kontor_mail_folder_get_kind (folder) != KONTOR_MAIL_FOLDER_KIND_FOLDER)
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), NULL, NULL);
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _ ("Delete “%s”?"),
                                     kontor_mail_folder_get_name (folder));
  adw_message_dialog_format_body (
    ADW_MESSAGE_DIALOG (dialog),
    ngettext ("The folder and its %u message are deleted on the server. This cannot be undone.",
              "The folder and its %u messages are deleted on the server. This cannot be undone.",
              kontor_mail_folder_get_total (folder)),
    kontor_mail_folder_get_total (folder));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"), "delete",
                                    _ ("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  g_object_set_data_full (G_OBJECT (dialog), "folder-id",
                          g_strdup (kontor_mail_folder_get_id (folder)), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
folder_pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y, KontorMailPage *self)
{
  GtkWidget *view = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  GtkWidget *picked = gtk_widget_pick (view, x, y, GTK_PICK_DEFAULT);
  GtkWidget *expander =
    picked != NULL ? gtk_widget_get_ancestor (picked, GTK_TYPE_TREE_EXPANDER) : NULL;
  gpointer item =
    expander != NULL ? gtk_tree_expander_get_item (GTK_TREE_EXPANDER (expander)) : NULL;
  gboolean is_folder;
  GtkWidget *popover;

  if (!KONTOR_IS_MAIL_FOLDER (item) ||
      kontor_mail_folder_get_kind (item) == KONTOR_MAIL_FOLDER_KIND_UNIFIED)
    return;
  g_set_object (&self->menu_folder, item);
  is_folder = kontor_mail_folder_get_kind (item) == KONTOR_MAIL_FOLDER_KIND_FOLDER &&
              kontor_mail_folder_get_role (item) != KONTOR_MAIL_ROLE_INBOX;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "folder.rename", is_folder);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "folder.delete", is_folder);
  popover = gtk_popover_menu_new_from_model (self->folder_menu);
  gtk_widget_set_parent (popover, view);
  gtk_popover_set_pointing_to (GTK_POPOVER (popover), &(GdkRectangle){ (int) x, (int) y, 1, 1 });
  gtk_popover_set_has_arrow (GTK_POPOVER (popover), FALSE);
  g_signal_connect (popover, "closed", G_CALLBACK (kontor_mail_page_popover_closed_cb), NULL);
  gtk_popover_popup (GTK_POPOVER (popover));
}

void
kontor_mail_page_init_folder_menu (KontorMailPage *self)
{
  GtkGesture *gesture = gtk_gesture_click_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
  g_signal_connect (gesture, "pressed", G_CALLBACK (folder_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->folder_view), GTK_EVENT_CONTROLLER (gesture));
}

void
kontor_mail_page_class_init_folder_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "folder.new", NULL, new_folder_action);
  gtk_widget_class_install_action (widget_class, "folder.rename", NULL, rename_folder_action);
  gtk_widget_class_install_action (widget_class, "folder.delete", NULL, delete_folder_action);
}
