/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-page-drafts.c: a message in a Drafts folder is a message to go on with:
 * activating it in the list (double click, Enter) or "Edit Draft" in the reader asks
 * for it in a composer (the "edit-draft" signal); whoever owns the composers opens it. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include "kontor-mail-draft-store.h"
#include "kontor-mail-page-private.h"

enum
{
  EDIT_DRAFT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The message in the reader (which may have been opened from a link, with another
 * folder in the list), else the one selected message, if it is a stored draft. */
static char *
dup_shown_draft (KontorMailPage *self)
{
  const char *shown = kontor_mail_reader_get_message_id (self->reader);
  g_autoptr (GPtrArray) ids = NULL;

  if (self->engine == NULL)
    return NULL;
  if (shown != NULL && kontor_mail_draft_is_stored (self->engine, shown))
    return g_strdup (shown);
  ids = kontor_mail_page_dup_selected_ids (self);
  if (ids == NULL || ids->len != 1 ||
      !kontor_mail_draft_is_stored (self->engine, g_ptr_array_index (ids, 0)))
    return NULL;
  return g_strdup (g_ptr_array_index (ids, 0));
}

static void
edit_draft_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  KontorMailPage *self = KONTOR_MAIL_PAGE (widget);
  g_autofree char *id = dup_shown_draft (self);

  if (id != NULL)
    g_signal_emit (self, signals[EDIT_DRAFT], 0, id);
}

static void
message_activated_cb (GtkListView *view, guint position, KontorMailPage *self)
{
  g_autoptr (GPtrArray) ids = NULL;

  if (self->list == NULL || self->engine == NULL)
    return;
  ids = kontor_mail_message_list_dup_ids_at (self->list, position);
  if (ids->len == 1 && kontor_mail_draft_is_stored (self->engine, g_ptr_array_index (ids, 0)))
    g_signal_emit (self, signals[EDIT_DRAFT], 0, g_ptr_array_index (ids, 0));
}

void
kontor_mail_page_init_drafts (KontorMailPage *self)
{
  g_signal_connect (self->message_view, "activate", G_CALLBACK (message_activated_cb), self);
}

void
kontor_mail_page_class_init_drafts (GtkWidgetClass *widget_class)
{
  /**
   * KontorMailPage::edit-draft:
   * @message_id: a message of a Drafts folder
   *
   * The user wants to go on writing that draft.
   */
  signals[EDIT_DRAFT] =
    g_signal_new ("edit-draft", G_TYPE_FROM_CLASS (widget_class), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  gtk_widget_class_install_action (widget_class, "mail.edit-draft", NULL, edit_draft_action);
}
