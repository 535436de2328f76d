/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-page-compose.c: New Message, Reply, Reply All, Reply to List and Forward
 * on the page. The page only asks (the "compose" and "reply" signals); whoever owns
 * the composers opens them. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kontor-mail-page-private.h"
#include "kontor-mail-reply.h"

enum
{
  COMPOSE,
  REPLY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
new_message_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_signal_emit (widget, signals[COMPOSE], 0);
}

static void
reply_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  KontorMailPage *self = KONTOR_MAIL_PAGE (widget);
  g_autoptr (GPtrArray) ids = kontor_mail_page_dup_selected_ids (self);
  KontorMailReplyMode mode = KONTOR_MAIL_REPLY_MODE_REPLY;

  if (ids == NULL || ids->len == 0)
    return;
  if (g_str_equal (action_name, "mail.reply-all"))
    mode = KONTOR_MAIL_REPLY_MODE_REPLY_ALL;
  else if (g_str_equal (action_name, "mail.reply-list"))
    mode = KONTOR_MAIL_REPLY_MODE_REPLY_LIST;
  else if (g_str_equal (action_name, "mail.forward"))
    mode = KONTOR_MAIL_REPLY_MODE_FORWARD_INLINE;
  else if (g_str_equal (action_name, "mail.forward-attached"))
    mode = KONTOR_MAIL_REPLY_MODE_FORWARD_ATTACHMENT;
  g_signal_emit (self, signals[REPLY], 0, g_ptr_array_index (ids, 0), (int) mode);
}

/* A message is selected: the reply actions apply. */
void
kontor_mail_page_update_compose_actions (KontorMailPage *self)
{
  g_autoptr (GPtrArray) ids = kontor_mail_page_dup_selected_ids (self);
  gboolean one = ids != NULL && ids->len == 1;
  const char *const actions[] = {
    "mail.reply", "mail.reply-all", "mail.reply-list", "mail.forward", "mail.forward-attached",
  };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), actions[i], one);
}

void
kontor_mail_page_add_toast (KontorMailPage *self, AdwToast *toast)
{
  g_return_if_fail (KONTOR_IS_MAIL_PAGE (self));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
kontor_mail_page_class_init_compose (GtkWidgetClass *widget_class)
{
  /**
   * KontorMailPage::compose:
   *
   * The user asked for a new message.
   */
  signals[COMPOSE] = g_signal_new ("compose", G_TYPE_FROM_CLASS (widget_class), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * KontorMailPage::reply:
   * @message_id: the message answered or forwarded
   * @mode: a #KontorMailReplyMode
   */
  signals[REPLY] = g_signal_new ("reply", G_TYPE_FROM_CLASS (widget_class), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT);

  gtk_widget_class_install_action (widget_class, "mail.new-message", NULL, new_message_action);
  gtk_widget_class_install_action (widget_class, "mail.reply", NULL, reply_action);
  gtk_widget_class_install_action (widget_class, "mail.reply-all", NULL, reply_action);
  gtk_widget_class_install_action (widget_class, "mail.reply-list", NULL, reply_action);
  gtk_widget_class_install_action (widget_class, "mail.forward", NULL, reply_action);
  gtk_widget_class_install_action (widget_class, "mail.forward-attached", NULL, reply_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "mail.new-message", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "mail.reply",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "mail.reply-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "mail.reply-list",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "mail.forward", NULL);
}
