// The citizens' channel, personal data over time (issue 18):
// - citizen_submissions.purgedAt: when the citizen's personal data was removed (the letter was
//   destroyed under its retention class, or a rejected request outlived its keeping time). The row
//   stays, emptied, so the tracking code still answers "closed" and the monitor still counts it.
// - mail_queue.attachment: what to attach when the mail is sent ("citizen-receipt:<id>"), drawn at
//   sending time so no file with personal data is kept beside the mail.
import { DataTypes, QueryInterface } from 'sequelize';

export async function up(qi: QueryInterface): Promise<void> {
  await qi.addColumn('citizen_submissions', 'purgedAt', { type: DataTypes.DATE(3), allowNull: true });
  // The sweep of rejected requests looks for the ones not yet purged by status and age.
  await qi.addIndex('citizen_submissions', ['status', 'statusAt'], { name: 'citizen_submissions_status_age' });
  await qi.addColumn('mail_queue', 'attachment', { type: DataTypes.STRING(64), allowNull: true });
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.removeColumn('mail_queue', 'attachment');
  await qi.removeIndex('citizen_submissions', 'citizen_submissions_status_age');
  await qi.removeColumn('citizen_submissions', 'purgedAt');
}
